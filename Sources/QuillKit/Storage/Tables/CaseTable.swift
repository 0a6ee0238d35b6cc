import Foundation
import GRDB

/// The cases and their attributes: `studyCase`, `caseSource`, `attribute` and `caseAttribute`.
/// The only writer of them.
struct CaseTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The case with a name, created on first use; an interviewer's case is marked as such.
    ///
    /// The interviewer mark is set only when the case is made: a case a user marked as a
    /// participant stays one however its label reads.
    func caseID(named name: String, isInterviewer: Bool) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM studyCase WHERE name = ?"), arguments: [name]) {
            return id
        }
        let guid = try RowGUID.free(in: db, table: "studyCase", kind: "case", key: CodePath.fold(name))
        try db.execute(sql: "INSERT INTO studyCase(guid, name, isInterviewer) VALUES (?, ?, ?)",
                       arguments: [guid, name, isInterviewer])
        return db.lastInsertedRowID
    }

    /// Puts a source in a case, such as a workshop group, unless it is there already.
    func addSource(_ sourceID: Int64, toCase caseID: Int64) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO caseSource(caseId, sourceId) VALUES (?, ?)", arguments: [caseID, sourceID])
    }

    /// The attribute with a name, created with a type on first use.
    func attributeID(named name: String, type: AttributeType, description: String? = nil) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM attribute WHERE name = ?"), arguments: [name]) {
            return id
        }
        try db.execute(sql: "INSERT INTO attribute(guid, name, type, description) VALUES (?, ?, ?, ?)",
                       arguments: [StableID.make("attribute", CodePath.fold(name)), name, type.rawValue, description])
        return db.lastInsertedRowID
    }

    /// Sets a text attribute of a case unless the case already has a value for it.
    func setAttributeIfMissing(caseID: Int64, name: String, value: String) throws {
        let attributeID = try attributeID(named: name, type: .text,
                                          description: name == "role" ? "The role given in brackets after a speaker's name." : nil)
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO caseAttribute(caseId, attributeId, value) VALUES (?, ?, ?)")
            .execute(arguments: [caseID, attributeID, value])
    }
}
