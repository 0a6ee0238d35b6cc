import Foundation
import GRDB

extension Schema {
    /// The ways a file's structure differs from what Quill's own schema steps make, in words;
    /// none for a file Quill may use.
    ///
    /// A project file can be changed by anyone who had it. A trigger, view or table that Quill
    /// did not make could run SQL of its sender's when Quill writes to the file (a trigger
    /// fires inside Quill's own transaction), so a file is used only when its tables, indexes
    /// and triggers are exactly those that its schema steps make, each with the same SQL. The
    /// steps the file says it has must be the first ones Quill knows, in order; the file is
    /// compared with a database that has just those steps, made in memory.
    static func differences(in db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else {
            return ["it has no record of the schema steps it was made with"]
        }
        let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let known = migrator.migrations
        let prefix = Array(known.prefix { applied.contains($0) })
        guard prefix.count == applied.count else {
            let odd = applied.subtracting(prefix).sorted()
            return [
                "its record of schema steps is not one Quill writes (it lists \(odd.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "without the steps before \(odd.count == 1 ? "it" : "them"))"
            ]
        }
        let actual = try objects(in: db)
        // The usual case, a file as Quill made it, is settled by a digest; only a file that
        // differs pays for making the schema in memory, to name what differs.
        if let known = knownDigests[prefix.count], digest(of: actual) == known { return [] }
        let expected = try objects(afterSteps: prefix)
        var differences: [String] = []
        for (key, object) in actual.sorted(by: { $0.key < $1.key }) {
            guard let wanted = expected[key] else {
                differences.append("it has \(object.article) \(object.described) that Quill does not make")
                continue
            }
            if wanted.table != object.table || wanted.sql != object.sql {
                differences.append("its \(object.described) is not as Quill makes it")
            }
        }
        for (key, object) in expected.sorted(by: { $0.key < $1.key }) where actual[key] == nil {
            differences.append("it lacks \(object.article) \(object.described)")
        }
        return differences
    }

    /// The digest (`digest(of:)`) of the objects a project has after the first N schema steps,
    /// by N. Making them in memory takes longer than the rest of a read-only command, so they
    /// are written down here; `SchemaVerificationTests` makes them afresh and fails, printing
    /// the new value, when a new schema step is added without its digest. A digest that does not
    /// match (say, with another SQLite whose full-text index words its tables differently) only
    /// means that the file is compared object by object instead.
    static let knownDigests: [Int: String] = [
        1: "536bdc6ffc23ad2979f3ebcaadcea98cd891f04ddcd6baa93c6f39ed495c1686",
        2: "ee7a7f030d8bcf1cb38c4067703a58c49446aa26a70a9637d0433b92548743bb",
        3: "f6d40ab27d6437e039ac1bdf8020f3b817723ee7bc684cb0e42421b9269a8342",
        4: "3272eaac90702232ce7fbe00f1c2cc7bf70030d8e12b11a186e283c3a3e91cf3",
        5: "238e21b3e40dc342a696d5e374f4dd8a49b496b0422e61d66a6114918dbcd06e",
        6: "b2faf61e6b04210b751fc753a0327f2ceedfced8b25cef7f3b623bf393bfb3fa",
        7: "1a59e950d07d2306240180f250e4e9d3d9008efdcaffa8c45cfc36137118980f",
    ]

    /// A digest of a database's objects, each with its type, name, table and SQL.
    static func digest(ofObjectsIn db: Database) throws -> String { digest(of: try objects(in: db)) }

    private static func digest(of objects: [String: SchemaObject]) -> String {
        let lines = objects.sorted { $0.key < $1.key }.map { _, object in
            [object.type, object.name, object.table, object.sql ?? "NULL"].joined(separator: "\t")
        }
        return StableID.sha256(Data(lines.joined(separator: "\n").utf8))
    }

    /// The digests of the objects after each number of first schema steps, made in memory.
    static func digestsAfterEachStep() throws -> [Int: String] {
        var digests: [Int: String] = [:]
        for count in 1...migrator.migrations.count {
            digests[count] = digest(of: try objects(afterSteps: Array(migrator.migrations.prefix(count))))
        }
        return digests
    }

    /// An entry of `sqlite_master`.
    private struct SchemaObject {
        var type: String
        var name: String
        var table: String
        var sql: String?

        var article: String { type == "index" ? "an" : "a" }

        var described: String {
            type == "table" || name == table ? "\(type) '\(name)'" : "\(type) '\(name)' on '\(table)'"
        }
    }

    /// SQLite's statistics tables, as `ANALYZE` makes them; any other `sqlite_stat` table is an
    /// object Quill does not make.
    private static let statisticsTables = [
        "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
        "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    ]

    /// The objects of a database by type and name. SQLite's statistics tables (written by
    /// `ANALYZE`, which only guide the query planner) are left out.
    private static func objects(in db: Database) throws -> [String: SchemaObject] {
        var objects: [String: SchemaObject] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master") {
            let object = SchemaObject(type: row[0], name: row[1], table: row[2], sql: row[3])
            if object.type == "table" && statisticsTables[object.name] == object.sql && object.table == object.name { continue }
            objects[object.type + " " + object.name] = object
        }
        return objects
    }

    /// The objects a project has after the given first schema steps, made in memory.
    private static func objects(afterSteps steps: [String]) throws -> [String: SchemaObject] {
        let queue = try DatabaseQueue()
        if let last = steps.last { try migrator.migrate(queue, upTo: last) }
        return try queue.read { db in try objects(in: db) }
    }
}
