import Foundation
import GRDB

/// One record of the undo log: how to put back one row that a change inserted, updated or
/// deleted.
///
/// The undo triggers (`Schema.createUndoTriggers`) write each record as the text of an SQL
/// statement. A project file may come from someone else, so that text is never run: it is
/// read back into a row change, refused unless it has exactly one of the three shapes the
/// triggers write, for a table whose changes undo reverses and with that table's own columns,
/// and then carried out by a statement Quill writes itself, with the values bound.
struct UndoRecord: Equatable {
    enum Kind: Equatable {
        /// Delete the row the change inserted.
        case delete
        /// Give the row the change updated its old values.
        case update
        /// Insert again the row the change deleted.
        case insert
    }

    var kind: Kind
    var table: String
    /// For `update`, the columns and their old values; for `insert`, every column of the row
    /// (its rowid first, for a table that has one).
    var values: [(column: String, value: DatabaseValue)]
    /// For `delete` and `update`, the row: its rowid, or its primary key columns.
    var key: [(column: String, value: DatabaseValue)]

    static func == (lhs: UndoRecord, rhs: UndoRecord) -> Bool {
        lhs.kind == rhs.kind && lhs.table == rhs.table
            && lhs.values.map(\.column) == rhs.values.map(\.column) && lhs.values.map(\.value) == rhs.values.map(\.value)
            && lhs.key.map(\.column) == rhs.key.map(\.column) && lhs.key.map(\.value) == rhs.key.map(\.value)
    }

    /// The statement that carries the record out, and its arguments.
    var statement: (sql: String, arguments: StatementArguments) {
        let table = self.table.quotedDatabaseIdentifier
        func name(_ column: String) -> String { column == "rowid" ? "rowid" : column.quotedDatabaseIdentifier }
        let condition = " WHERE " + key.map { name($0.column) + ($0.column == "rowid" ? " = ?" : " IS ?") }.joined(separator: " AND ")
        switch kind {
        case .delete:
            return ("DELETE FROM \(table)" + condition, StatementArguments(key.map(\.value)))
        case .update:
            let set = values.map { name($0.column) + " = ?" }.joined(separator: ", ")
            return ("UPDATE \(table) SET \(set)" + condition, StatementArguments(values.map(\.value) + key.map(\.value)))
        case .insert:
            let columns = values.map { name($0.column) }.joined(separator: ", ")
            let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
            return ("INSERT INTO \(table) (\(columns)) VALUES (\(marks))", StatementArguments(values.map(\.value)))
        }
    }
}

/// Reads undo records back, knowing the columns of each table whose changes undo reverses.
struct UndoRecordReader {
    /// What the triggers of one table write.
    struct Shape {
        var columns: [String]
        /// The primary key columns of a table without rowid; empty for one with a rowid.
        var keyColumns: [String]
        var hasRowID: Bool { keyColumns.isEmpty }
    }

    let shapes: [String: Shape]

    /// The shapes of the tables in `Schema.undoneTables`, as the database has them.
    init(_ db: Database) throws {
        var shapes: [String: Shape] = [:]
        for table in Schema.undoneTables where try db.tableExists(table) {
            let columns = try db.columns(in: table).map(\.name)
            let isWithoutRowID =
                try Bool.fetchOne(
                    db, sql: "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE type = 'table' AND name = ?",
                    arguments: [table]) ?? false
            shapes[table] = Shape(columns: columns, keyColumns: isWithoutRowID ? try db.primaryKey(table).columns : [])
        }
        self.shapes = shapes
    }

    /// A record read back from its text.
    /// - Throws: `UndoRecordReader.Refusal` saying what is not as the triggers write it.
    func read(_ text: String) throws -> UndoRecord {
        var scanner = Scanner(Array(text.utf8))
        if scanner.skip("DELETE FROM ") {
            let (table, shape) = try scanner.table(shapes)
            try scanner.expect(" WHERE ")
            let key = try scanner.key(shape)
            try scanner.expectEnd()
            return UndoRecord(kind: .delete, table: table, values: [], key: key)
        }
        if scanner.skip("UPDATE ") {
            let (table, shape) = try scanner.table(shapes)
            try scanner.expect(" SET ")
            var values: [(column: String, value: DatabaseValue)] = []
            for (index, column) in shape.columns.enumerated() {
                if index > 0 { try scanner.expect(", ") }
                try scanner.column(column)
                try scanner.expect(" = ")
                values.append((column, try scanner.literal()))
            }
            try scanner.expect(" WHERE ")
            let key = try scanner.key(shape)
            try scanner.expectEnd()
            return UndoRecord(kind: .update, table: table, values: values, key: key)
        }
        if scanner.skip("INSERT INTO ") {
            let (table, shape) = try scanner.table(shapes)
            try scanner.expect(" (")
            let columns = (shape.hasRowID ? ["rowid"] : []) + shape.columns
            for (index, column) in columns.enumerated() {
                if index > 0 { try scanner.expect(", ") }
                if column == "rowid" { try scanner.expect("rowid") } else { try scanner.column(column) }
            }
            try scanner.expect(") VALUES (")
            var values: [(column: String, value: DatabaseValue)] = []
            for (index, column) in columns.enumerated() {
                if index > 0 { try scanner.expect(",") }
                values.append((column, try scanner.literal()))
            }
            try scanner.expect(")")
            try scanner.expectEnd()
            return UndoRecord(kind: .insert, table: table, values: values, key: [])
        }
        throw Refusal("it is neither a DELETE, an UPDATE nor an INSERT of one row as Quill writes them")
    }

    /// Why a record is refused, in words.
    struct Refusal: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A cursor over the UTF-8 of a record.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func skip(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            let matches = text.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
            }
            if matches { position += count }
            return matches
        }

        mutating func expect(_ text: StaticString) throws {
            guard skip(text) else { throw Refusal("'\(text)' was expected at character \(position + 1)") }
        }

        func expectEnd() throws {
            guard position == bytes.count else { throw Refusal("it goes on after the row change, at character \(position + 1)") }
        }

        /// A double-quoted identifier, as `quotedDatabaseIdentifier` writes it.
        mutating func identifier() throws -> String {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw Refusal("a quoted name was expected at character \(position + 1)")
            }
            guard let name = quoted() else { throw Refusal("a quoted name is not closed") }
            return String(decoding: name, as: UTF8.self)
        }

        /// The bytes between the quote at the cursor and the one that closes it, a doubled
        /// quote standing for one; nil when it is not closed.
        mutating func quoted() -> [UInt8]? {
            let quote = bytes[position]
            position += 1
            var content: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == quote {
                    guard position < bytes.count, bytes[position] == quote else { return content }
                    position += 1
                }
                content.append(byte)
            }
            return nil
        }

        /// The table, which must be one whose changes undo reverses.
        mutating func table(_ shapes: [String: Shape]) throws -> (String, Shape) {
            let name = try identifier()
            guard let shape = shapes[name] else { throw Refusal("it changes the table '\(name)', whose changes Quill never undoes") }
            return (name, shape)
        }

        /// The next column, which must be `column`.
        mutating func column(_ column: String) throws {
            let start = position
            let name = try identifier()
            guard name == column else { throw Refusal("the column '\(column)' was expected at character \(start + 1), not '\(name)'") }
        }

        /// The row's key: `rowid = N`, or `"a" IS x AND "b" IS y` for the primary key.
        mutating func key(_ shape: Shape) throws -> [(column: String, value: DatabaseValue)] {
            if shape.hasRowID {
                try expect("rowid = ")
                let value = try literal()
                guard case .int64 = value.storage else { throw Refusal("the row is not named by a whole number") }
                return [("rowid", value)]
            }
            var key: [(column: String, value: DatabaseValue)] = []
            for (index, column) in shape.keyColumns.enumerated() {
                if index > 0 { try expect(" AND ") }
                try self.column(column)
                try expect(" IS ")
                key.append((column, try literal()))
            }
            return key
        }

        /// A value as SQLite's `quote()` writes it: NULL, a whole or real number, a string in
        /// single quotes, or a blob as X'…'.
        mutating func literal() throws -> DatabaseValue {
            let start = position
            guard position < bytes.count else { throw Refusal("a value was expected at the end") }
            if skip("NULL") { return .null }
            if skip("Inf") { return Double.infinity.databaseValue }
            if skip("-Inf") { return (-Double.infinity).databaseValue }
            switch bytes[position] {
            case UInt8(ascii: "'"):
                guard let text = quoted() else { throw Refusal("the text at character \(start + 1) is not closed") }
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw Refusal("the text at character \(start + 1) is not valid UTF-8")
                }
                return string.databaseValue
            case UInt8(ascii: "X"):
                position += 1
                try expect("'")
                var blob: [UInt8] = []
                while position + 1 < bytes.count, let high = Self.hexValue(bytes[position]), let low = Self.hexValue(bytes[position + 1]) {
                    blob.append(high << 4 | low)
                    position += 2
                }
                try expect("'")
                return blob.withUnsafeBufferPointer { Data(buffer: $0) }.databaseValue
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number(from: start)
            default:
                throw Refusal("a value was expected at character \(start + 1)")
            }
        }

        /// A number: digits with an optional sign, and for a real a fraction and an exponent.
        private mutating func number(from start: Int) throws -> DatabaseValue {
            func digits() -> Int {
                let first = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
                return position - first
            }
            _ = skip("-")
            guard digits() > 0 else { throw Refusal("a number was expected at character \(start + 1)") }
            var isReal = false
            if skip(".") {
                isReal = true
                guard digits() > 0 else { throw Refusal("the number at character \(start + 1) has no digits after its point") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                isReal = true
                position += 1
                if !skip("+") { _ = skip("-") }
                guard digits() > 0 else { throw Refusal("the number at character \(start + 1) has no digits in its exponent") }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if isReal, let value = Double(text) { return value.databaseValue }
            if !isReal, let value = Int64(text) { return value.databaseValue }
            throw Refusal("the number \(text) at character \(start + 1) cannot be read")
        }

        private static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
    }
}
