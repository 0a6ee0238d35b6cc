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
        try db.execute(
            sql: "INSERT INTO studyCase(guid, name, isInterviewer) VALUES (?, ?, ?)",
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
        try db.execute(
            sql: "INSERT INTO attribute(guid, name, type, description) VALUES (?, ?, ?, ?)",
            arguments: [StableID.make("attribute", CodePath.fold(name)), name, type.rawValue, description])
        return db.lastInsertedRowID
    }

    /// Sets a text attribute of a case unless the case already has a value for it.
    func setAttributeIfMissing(caseID: Int64, name: String, value: String) throws {
        let attributeID = try attributeID(
            named: name, type: .text,
            description: name == "role" ? "The role given in brackets after a speaker's name." : nil)
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO caseAttribute(caseId, attributeId, value) VALUES (?, ?, ?)")
            .execute(arguments: [caseID, attributeID, value])
    }

    /// Adds a case; returns its id.
    func insertCase(guid: String, name: String, description: String?, isInterviewer: Bool = false) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO studyCase(guid, name, description, isInterviewer) VALUES (?, ?, ?, ?)",
            arguments: [guid, name, description, isInterviewer])
        return db.lastInsertedRowID
    }

    /// Gives a case a description unless it has one.
    func setDescriptionIfMissing(_ description: String, ofCase caseID: Int64) throws {
        try db.execute(sql: "UPDATE studyCase SET description = ? WHERE id = ? AND description IS NULL", arguments: [description, caseID])
    }

    /// Marks a case as an interviewer's or a participant's; returns whether that changed it.
    func setInterviewer(_ isInterviewer: Bool, ofCase caseID: Int64) throws -> Bool {
        try db.execute(
            sql: "UPDATE studyCase SET isInterviewer = ? WHERE id = ? AND isInterviewer <> ?",
            arguments: [isInterviewer, caseID, isInterviewer])
        return db.changesCount > 0
    }

    /// Renames a case; it keeps its GUID, attributes and members.
    func renameCase(_ caseID: Int64, to name: String) throws {
        try db.execute(sql: "UPDATE studyCase SET name = ? WHERE id = ?", arguments: [name, caseID])
    }

    /// Hands a case's attribute values (those the other case lacks) and sources to another case.
    func handOver(fromCase oldID: Int64, toCase newID: Int64) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO caseAttribute(caseId, attributeId, value) SELECT ?, attributeId, value FROM caseAttribute WHERE caseId = ?
                """, arguments: [newID, oldID])
        try db.execute(sql: "UPDATE OR IGNORE caseSource SET caseId = ? WHERE caseId = ?", arguments: [newID, oldID])
    }

    /// Removes a case.
    func deleteCase(_ caseID: Int64) throws {
        try db.execute(sql: "DELETE FROM studyCase WHERE id = ?", arguments: [caseID])
    }

    /// Removes the cases nothing refers to any more: no segment, source, attribute value or memo.
    func deleteUnusedCases() throws {
        try db.execute(
            sql: """
                DELETE FROM studyCase WHERE id NOT IN (SELECT caseId FROM segment WHERE caseId IS NOT NULL) \
                AND id NOT IN (SELECT caseId FROM caseSource) AND id NOT IN (SELECT caseId FROM caseAttribute) \
                AND id NOT IN (SELECT targetId FROM memo WHERE targetKind = 'case')
                """)
    }

    /// Adds an attribute; returns its id.
    func insertAttribute(guid: String, name: String, type: AttributeType, description: String?) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO attribute(guid, name, type, description) VALUES (?, ?, ?, ?)",
            arguments: [guid, name, type.rawValue, description])
        return db.lastInsertedRowID
    }

    /// Changes an attribute's type; its values must already read as the new type.
    func setType(_ type: AttributeType, ofAttribute attributeID: Int64) throws {
        try db.execute(sql: "UPDATE attribute SET type = ? WHERE id = ?", arguments: [type.rawValue, attributeID])
    }

    /// The value of an attribute of a case or a source, if it has one.
    func value(of attributeID: Int64, for owner: AttributeOwner) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT value FROM \(owner.table) WHERE \(owner.column) = ? AND attributeId = ?",
            arguments: [owner.id, attributeID])
    }

    /// The values of an attribute, by the case or source that has each.
    func values(of attributeID: Int64, kind: AttributeOwner.Kind) throws -> [(owner: AttributeOwner, value: String)] {
        try Row.fetchAll(
            db, sql: "SELECT \(kind.column) AS owner, value FROM \(kind.table) WHERE attributeId = ?",
            arguments: [attributeID]
        )
        .map { (AttributeOwner(kind: kind, id: $0["owner"]), $0["value"]) }
    }

    /// Adds the value of an attribute to a case or a source that has none.
    func insertValue(_ value: String, of attributeID: Int64, for owner: AttributeOwner) throws {
        try db.execute(
            sql: "INSERT INTO \(owner.table)(\(owner.column), attributeId, value) VALUES (?, ?, ?)",
            arguments: [owner.id, attributeID, value])
    }

    /// Changes the value of an attribute of a case or a source.
    func updateValue(_ value: String, of attributeID: Int64, for owner: AttributeOwner) throws {
        try db.execute(
            sql: "UPDATE \(owner.table) SET value = ? WHERE \(owner.column) = ? AND attributeId = ?",
            arguments: [value, owner.id, attributeID])
    }

    /// Sets the value of an attribute of a case or a source, replacing any it has.
    func setValue(_ value: String, of attributeID: Int64, for owner: AttributeOwner) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO \(owner.table)(\(owner.column), attributeId, value) VALUES (?, ?, ?)",
            arguments: [owner.id, attributeID, value])
    }
}

/// A case or a source, as the holder of attribute values.
struct AttributeOwner {
    enum Kind {
        case studyCase, source

        /// The table of its values.
        var table: String { self == .studyCase ? "caseAttribute" : "sourceAttribute" }
        /// The column that names the holder.
        var column: String { self == .studyCase ? "caseId" : "sourceId" }
    }

    var kind: Kind
    var id: Int64

    static func studyCase(_ id: Int64) -> AttributeOwner { AttributeOwner(kind: .studyCase, id: id) }
    static func source(_ id: Int64) -> AttributeOwner { AttributeOwner(kind: .source, id: id) }

    var table: String { kind.table }
    var column: String { kind.column }
}
