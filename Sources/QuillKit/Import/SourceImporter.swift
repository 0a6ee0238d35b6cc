import Foundation
import GRDB

/// What happened to one file of an import.
public enum ImportOutcome: Equatable, Sendable {
    /// The file became a new source.
    case imported(name: String, segments: Int, speakers: Int, unattributedLines: Int, mode: SegmentationMode)
    /// The project already has a source with the same bytes.
    case alreadyImported(file: String, existing: String)
}

/// How the speakers of a source become cases.
///
/// By default a speaker is the case of the same name, in every source. A prefix keeps the
/// speakers of a source apart from same-named speakers elsewhere (`ws1-` makes `Speaker A` the
/// case `ws1-Speaker A`); an explicit mapping names the case of one speaker.
public struct CaseMapping: Sendable, Equatable {
    /// Put before every speaker's name to make the case's name.
    public var prefix: String
    /// Speaker name (case-insensitive) to case name.
    public var names: [String: String]
    /// Cases that the whole source belongs to, such as a workshop group.
    public var groups: [String]

    /// Creates a mapping.
    public init(prefix: String = "", names: [String: String] = [:], groups: [String] = []) {
        self.prefix = prefix
        self.names = Dictionary(names.map { (CodePath.fold($0.key), $0.value) }, uniquingKeysWith: { $1 })
        self.groups = groups
    }

    /// The case a speaker belongs to.
    public func caseName(forSpeaker speaker: String) -> String {
        names[CodePath.fold(speaker)] ?? prefix + speaker
    }
}

/// Imports transcripts: reads them on all cores and stores them all or none, in one change.
public struct SourceImporter: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Stores prepared sources, all or none, in one transaction.
    ///
    /// A file whose bytes the project already holds is skipped and reported as such. Speakers
    /// become cases; the same speaker name in several sources is the same case, unless the
    /// source's case mapping says otherwise.
    /// - Throws: `QuillError.badInput` when a different source already has the name.
    package func importSources(_ sources: [PreparedSource], actor: Actor) throws -> [ImportOutcome] {
        try project.change(actor) { db in try importSources(db, sources, coder: actor.coder) }
    }

    /// Reads transcript files and stores them, all or none, in one transaction.
    ///
    /// Files are read a batch at a time on all cores, the next batch while this one is written,
    /// and a file's text and segments are let go once it is stored, so memory stays that of two
    /// batches however many files there are. What `importSources` refuses, this refuses too;
    /// the error is that of the first file, in the order given, that cannot be read or stored.
    /// - Parameters:
    ///   - files: each file's source name and file name (`PreparedSource.sourceName(of:name:)`).
    ///   - prepare: reads file `i` of `files` (on any thread).
    ///   - check: sees every file as read (without text and segments) before the import is
    ///     kept; what it throws undoes the whole import.
    /// - Returns: what happened to each file, with the file as read, without text and segments.
    public func importFiles(
        _ files: [(name: String, fileName: String)], actor: Actor,
        prepare: @escaping @Sendable (Int) throws -> PreparedSource,
        check: ([PreparedSource]) throws -> Void = { _ in }
    ) throws -> [(outcome: ImportOutcome, source: PreparedSource)] {
        try project.change(actor) { db in
            try Self.refuseNameClashes(files)
            let coderID = try CoderTable(db).id(named: actor.coder)
            let size = 4 * max(2, ProcessInfo.processInfo.activeProcessorCount)
            let batches = stride(from: 0, to: files.count, by: size).map { Array($0..<min($0 + size, files.count)) }
            // Each file's reading is kept as a result, so that the error reported is that of the
            // first file, in the order given, that cannot be read or stored, however the files
            // fall into batches.
            func read(_ batch: [Int]) -> BackgroundTask<[Result<PreparedSource, any Error>]> {
                BackgroundTask { try batch.concurrentMap { index in Result { try prepare(index) } } }
            }
            var next = batches.first.map(read)
            var results: [(outcome: ImportOutcome, source: PreparedSource)] = []
            for index in batches.indices {
                guard let prepared = try next?.wait() else { break }
                next = index + 1 < batches.count ? read(batches[index + 1]) : nil
                for result in prepared {
                    var source = try result.get()
                    let outcome = try storeSource(db, source, coderID: coderID)
                    source.text = ""
                    source.segmentation.segments = []
                    results.append((outcome, source))
                }
            }
            try check(results.map(\.source))
            return (results, Self.summary(results.map(\.outcome)))
        }
    }

    /// Stores prepared sources inside a transaction that is already open.
    func importSources(_ db: Database, _ sources: [PreparedSource], coder: String) throws -> ([ImportOutcome], summary: String?) {
        try Self.refuseNameClashes(sources.map { ($0.name, $0.fileName) })
        let coderID = try CoderTable(db).id(named: coder)
        let outcomes = try sources.map { try storeSource(db, $0, coderID: coderID) }
        return (outcomes, Self.summary(outcomes))
    }

    /// Refuses an import in which two files would give the same source name.
    static func refuseNameClashes(_ sources: [(name: String, fileName: String)]) throws {
        var files: [String: [String]] = [:]
        for source in sources { files[source.name.lowercased(), default: []].append(source.fileName) }
        if let clash = files.values.sorted(by: { $0.joined() < $1.joined() }).first(where: { Set($0).count > 1 }) {
            throw QuillError.badInput(
                path: clash.joined(separator: ", "),
                problem: "these files would both be the source '\(URL(fileURLWithPath: clash[0]).deletingPathExtension().lastPathComponent)'",
                remedy: "Rename one of them. Nothing was imported.")
        }
    }

    /// Stores one prepared source, or says the project already has its bytes.
    /// - Throws: `QuillError.badInput` when a different source already has the name.
    private func storeSource(_ db: Database, _ source: PreparedSource, coderID: Int64) throws -> ImportOutcome {
        if let existing = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM source WHERE sha256 = ?"), arguments: [source.sha256]) {
            return .alreadyImported(file: source.fileName, existing: existing)
        }
        if let clash = try Row.fetchOne(db.cachedStatement(sql: "SELECT name, fileName FROM source WHERE name = ?"), arguments: [source.name]) {
            let clashName: String = clash["name"]
            let clashFile: String = clash["fileName"]
            throw QuillError.sourceNameTaken(file: source.fileName, name: clashName, existingFile: clashFile)
        }
        let sourceID = try SourceTable(db).insert(
            SourceTable.NewSource(
                guid: StableID.make("source", source.sha256), name: source.name, fileName: source.fileName,
                format: source.format.rawValue, sha256: source.sha256, byteCount: source.byteCount, text: source.text,
                length: source.length, segmentation: source.segmentation.mode.rawValue, importedAt: Clock.timestamp(),
                importedBy: coderID))
        try SegmentTable(db).store(sourceID: sourceID, segmentation: source.segmentation, cases: source.cases)
        let cases = CaseTable(db)
        for group in source.cases.groups {
            try cases.addSource(sourceID, toCase: try cases.caseID(named: group, isInterviewer: false))
        }
        return .imported(
            name: source.name, segments: source.segmentation.segments.count,
            speakers: source.segmentation.speakers.count,
            unattributedLines: source.segmentation.unattributedLines.count,
            mode: source.segmentation.mode)
    }

    /// The history's line for an import, or nil when nothing was imported.
    private static func summary(_ outcomes: [ImportOutcome]) -> String? {
        let names = outcomes.compactMap { outcome -> String? in
            if case .imported(let name, _, _, _, _) = outcome { return name }
            return nil
        }
        return names.isEmpty ? nil : "imported \(names.count) source(s): \(names.joined(separator: ", "))"
    }
}
