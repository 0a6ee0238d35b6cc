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
            return ["its record of schema steps is not one Quill writes (it lists \(odd.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "without the steps before \(odd.count == 1 ? "it" : "them"))"]
        }
        let expected = try objects(afterSteps: prefix)
        let actual = try objects(in: db)
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

    /// The objects of a database by type and name. SQLite's statistics tables (written by
    /// `ANALYZE`, which only guide the query planner) are left out.
    private static func objects(in db: Database) throws -> [String: SchemaObject] {
        var objects: [String: SchemaObject] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master") {
            let object = SchemaObject(type: row[0], name: row[1], table: row[2], sql: row[3])
            if object.type == "table" && object.name.hasPrefix("sqlite_stat") { continue }
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
