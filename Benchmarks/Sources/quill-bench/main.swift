import Foundation

/// quill-bench: generates corpora and times the release `quill` binary on them.
///
///     swift run -c release --package-path Benchmarks quill-bench [options]
///
/// Options:
///   --quill PATH        the quill binary (default: ../.build/release/quill from this package)
///   --work DIR          where corpora and projects go (default: $TMPDIR/quill-bench); corpora are kept and reused
///   --sizes 100,1000    corpus sizes, in transcripts
///   --words 5000        words per transcript
///   --steps LIST        all, or some of: import,autocode,analysis,report,qdpx,big,latency
///   --cheap-only        for every size, only the cheap steps (import, autocode, frequency, co-occurrence)
///   --big-codings N     codings per source in the 1,000-code project (default 1000; at the largest size <= 1000)
///   --out FILE          also write the results as Markdown to FILE
///   generate --count N --format txt|vtt|docx --dir DIR [--words M]   only write a corpus

struct Options {
    var quill: String
    var work: URL
    var sizes = [100, 1000]
    var words = 5000
    var steps: Set<String> = ["import", "autocode", "analysis", "report", "qdpx", "big", "latency"]
    var cheapOnly = false
    var bigCodingsPerSource = 1000
    var out: String?
    var repo: URL
}

func parseOptions(_ args: [String]) throws -> Options {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    // Benchmarks/.build/<triple>/release/quill-bench -> the repository
    var repo = executable
    while repo.path != "/", !FileManager.default.fileExists(atPath: repo.appendingPathComponent("Benchmarks/Package.swift").path) {
        repo.deleteLastPathComponent()
    }
    if repo.path == "/" { repo = URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
    var options = Options(
        quill: repo.appendingPathComponent(".build/release/quill").path,
        work: FileManager.default.temporaryDirectory.appendingPathComponent("quill-bench"), repo: repo)
    var iterator = args.makeIterator()
    func value(_ name: String) throws -> String {
        guard let v = iterator.next() else { throw BenchError("\(name) needs a value") }
        return v
    }
    while let arg = iterator.next() {
        switch arg {
        case "--quill": options.quill = try value(arg)
        case "--work": options.work = URL(fileURLWithPath: try value(arg))
        case "--sizes": options.sizes = try value(arg).split(separator: ",").map { Int($0)! }
        case "--words": options.words = Int(try value(arg))!
        case "--steps":
            let list = try value(arg)
            if list != "all" { options.steps = Set(list.split(separator: ",").map(String.init)) }
        case "--cheap-only": options.cheapOnly = true
        case "--big-codings": options.bigCodingsPerSource = Int(try value(arg))!
        case "--out": options.out = try value(arg)
        default: throw BenchError("unknown option \(arg); see the comment at the top of main.swift")
        }
    }
    return options
}

/// One line of results.
struct Row {
    var size: String
    var step: String
    var seconds: Double
    var throughput: String
    var rss: Int

    var markdown: String {
        "| \(size) | \(step) | \(String(format: "%.3f", seconds)) | \(throughput) | \(String(format: "%.0f", Double(rss) / 1_048_576)) |"
    }
}

final class Bench {
    let options: Options
    let lhs: URL
    var rows: [Row] = []
    var notes: [String] = []

    init(_ options: Options) {
        self.options = options
        lhs = options.repo.appendingPathComponent("Codebooks/lhs-framework.yaml")
    }

    func emit(_ row: Row) {
        rows.append(row)
        FileHandle.standardOutput.write(Data((row.markdown + "\n").utf8))
    }

    /// Runs quill in a folder; a failure stops the suite with quill's own message.
    @discardableResult
    func quill(_ args: [String], in folder: URL) throws -> Measurement {
        let m = try Spawn.run(options.quill, args, in: folder)
        guard m.status == 0 else {
            throw BenchError("quill \(args.prefix(4).joined(separator: " ")) failed (\(m.status)): \(m.errors.suffix(2000))")
        }
        return m
    }

    func fresh(_ folder: URL) throws -> URL {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func mb(_ bytes: Int) -> Double { Double(bytes) / 1_000_000 }

    func files(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0).path }
    }

    func run() throws {
        say(machine())
        say("| transcripts | step | seconds | throughput | peak RSS (MiB) |\n|---:|---|---:|---|---:|")
        let keywords = try CorpusGenerator.keywords(ofCodebook: lhs.path)
        let generator = CorpusGenerator(keywords: keywords, wordsPerTranscript: options.words)
        for size in options.sizes {
            try runSize(size, generator: generator)
        }
        if options.steps.contains("latency") { try latency() }
        if let out = options.out {
            let text =
                machine() + "\n\n| transcripts | step | seconds | throughput | peak RSS (MiB) |\n|---:|---|---:|---|---:|\n"
                + rows.map(\.markdown).joined(separator: "\n") + "\n" + notes.map { "\n- \($0)" }.joined() + "\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
        }
    }

    func runSize(_ size: Int, generator: CorpusGenerator) throws {
        let base = options.work.appendingPathComponent("n\(size)-w\(options.words)")
        let label = "\(size)"
        let cheap = options.cheapOnly
        var corpus: [CorpusFormat: CorpusGenerator.Summary] = [:]
        let formats: [CorpusFormat] = options.steps.contains("import") ? (cheap ? [.txt] : CorpusFormat.allCases) : [.txt]
        for format in formats {
            let start = Date()
            corpus[format] = try generator.write(count: size, format: format, into: base.appendingPathComponent("corpus-\(format.rawValue)"))
            let s = corpus[format]!
            FileHandle.standardError.write(
                Data(
                    "generated \(s.files) .\(format.rawValue) (\(String(format: "%.1f", Self.mb(s.bytes))) MB, \(s.words) words) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n"
                        .utf8))
        }
        let txt = corpus[.txt]!

        // Import, each format into its own project.
        let project = try fresh(base.appendingPathComponent("project-txt"))
        try quill(["init"], in: project)
        try quill(["codebook", "import", lhs.path], in: project)
        for format in formats {
            let folder = format == .txt ? project : try fresh(base.appendingPathComponent("project-\(format.rawValue)"))
            if format != .txt { try quill(["init"], in: folder) }
            let s = corpus[format]!
            let m = try quill(["import"] + files(base.appendingPathComponent("corpus-\(format.rawValue)")), in: folder)
            emit(
                Row(
                    size: label, step: "import .\(format.rawValue)", seconds: m.seconds,
                    throughput: String(format: "%.1f MB/s, %.0f segments/s", Self.mb(s.bytes) / m.seconds, Double(s.turns) / m.seconds),
                    rss: m.maxRSS))
        }
        // The full-text index is built by the first search after an import.
        for step in ["search (first after import: builds the index)", "search (index up to date)"] {
            let m = try quill(["search", "library", "--format", "csv"], in: project)
            emit(
                Row(
                    size: label, step: step, seconds: m.seconds,
                    throughput: String(format: "%.1f MB/s, %.0f segments/s", Self.mb(txt.bytes) / m.seconds, Double(txt.turns) / m.seconds),
                    rss: m.maxRSS))
        }
        guard options.steps.contains("autocode") else { return }
        // Matching alone: the dry run reads every segment and lists what it would code.
        let dry = try quill(["autocode", "--apply", "--dry-run", "--format", "csv"], in: project)
        let would = max(0, dry.output.utf8.filter { $0 == UInt8(ascii: "\n") }.count - 1)
        emit(
            Row(
                size: label, step: "autocode --apply --dry-run (LHS, \(generator.keywords.count) keywords, matching only)", seconds: dry.seconds,
                throughput: String(format: "%.1f MB/s, %.0f matches/s (%d)", Self.mb(txt.bytes) / dry.seconds, Double(would) / dry.seconds, would),
                rss: dry.maxRSS))
        let auto = try quill(["autocode", "--apply"], in: project)
        let added = Int(auto.errors.firstMatch(of: /Autocoded: (\d+) coding/)?.1 ?? "0") ?? 0
        let textBytes = txt.bytes  // the canonical text is the file's text
        emit(
            Row(
                size: label, step: "autocode --apply (LHS, \(generator.keywords.count) keywords)", seconds: auto.seconds,
                throughput: String(
                    format: "%.1f MB/s, %.0f codings/s (%d codings)", Self.mb(textBytes) / auto.seconds, Double(added) / auto.seconds, added),
                rss: auto.maxRSS))

        if options.steps.contains("analysis") {
            try analysis(
                label: label, project: project, codings: added, segments: txt.turns,
                excerptCode: "LHS rationale and goals/Better outcomes for patients")
        }
        if cheap { return }
        if options.steps.contains("report") {
            let m = try quill(["report", "--out", "report"], in: project)
            emit(
                Row(
                    size: label, step: "report", seconds: m.seconds,
                    throughput: String(format: "%.0f codings/s", Double(added) / m.seconds), rss: m.maxRSS))
        }
        if options.steps.contains("qdpx") {
            try qdpx(label: label, project: project, codings: added, base: base, tag: "lhs")
        }
        if options.steps.contains("big") {
            try big(size: size, base: base, txt: txt)
        }
    }

    func analysis(label: String, project: URL, codings: Int, segments: Int, excerptCode: String?) throws {
        let per = { (m: Measurement) in String(format: "%.0f codings/s", Double(codings) / m.seconds) }
        for (step, args) in [
            ("stats frequency", ["stats", "frequency", "--format", "csv"]),
            ("stats cooccurrence --unit segment", ["stats", "cooccurrence", "--unit", "segment", "--format", "csv"]),
            ("stats cooccurrence --unit window:3", ["stats", "cooccurrence", "--unit", "window:3", "--format", "csv"]),
        ] {
            let m = try quill(args, in: project)
            emit(Row(size: label, step: step, seconds: m.seconds, throughput: per(m), rss: m.maxRSS))
        }
        if let excerptCode {
            let m = try quill(["excerpts", "--code", excerptCode, "--format", "csv"], in: project)
            let lines = m.output.utf8.filter { $0 == UInt8(ascii: "\n") }.count - 1
            emit(
                Row(
                    size: label, step: "excerpts --code (\(lines) rows)", seconds: m.seconds,
                    throughput: String(format: "%.0f segments/s", Double(segments) / m.seconds), rss: m.maxRSS))
        }
    }

    func qdpx(label: String, project: URL, codings: Int, base: URL, tag: String) throws {
        let file = base.appendingPathComponent("\(tag).qdpx")
        try? FileManager.default.removeItem(at: file)
        let export = try quill(["export", "qdpx", file.path], in: project)
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        emit(
            Row(
                size: label, step: "export qdpx (\(tag), \(String(format: "%.1f", Self.mb(size))) MB)", seconds: export.seconds,
                throughput: String(format: "%.0f codings/s", Double(codings) / export.seconds), rss: export.maxRSS))
        let into = try fresh(base.appendingPathComponent("project-\(tag)-reimport"))
        let m = try quill(["import-qdpx", file.path], in: into)
        emit(
            Row(
                size: label, step: "import-qdpx (\(tag))", seconds: m.seconds,
                throughput: String(format: "%.0f codings/s, %.1f MB/s", Double(codings) / m.seconds, Self.mb(size) / m.seconds), rss: m.maxRSS))
    }

    /// A project of 1,000 codes and (at 1,000 transcripts) 1,000,000 codings, made with
    /// `quill code --from`.
    func big(size: Int, base: URL, txt: CorpusGenerator.Summary) throws {
        let perSource = options.bigCodingsPerSource
        let codes = 1000
        let label = "\(size)"
        let project = try fresh(base.appendingPathComponent("project-big"))
        let book = base.appendingPathComponent("synthetic-1000.yaml")
        try Data(CorpusGenerator.syntheticCodebook(codes: codes).utf8).write(to: book)
        let csv = base.appendingPathComponent("codings-\(perSource).csv")
        try CorpusGenerator.codingsCSV(turnsPerTranscript: txt.turnsPerTranscript, perSource: perSource, codes: codes, into: csv)
        try quill(["init"], in: project)
        try quill(["codebook", "import", book.path], in: project)
        try quill(["import"] + files(base.appendingPathComponent("corpus-txt")), in: project)
        let total = perSource * size
        let m = try quill(["code", "--from", csv.path], in: project)
        emit(
            Row(
                size: label, step: "code --from CSV (\(codes) codes, \(total) codings)", seconds: m.seconds,
                throughput: String(format: "%.0f codings/s", Double(total) / m.seconds), rss: m.maxRSS))
        let tagged = "\(label), \(codes) codes, \(total) codings"
        try analysis(label: tagged, project: project, codings: total, segments: txt.turns, excerptCode: nil)
        if options.steps.contains("qdpx") {
            try qdpx(label: tagged, project: project, codings: total, base: base, tag: "big")
        }
    }

    /// Start-up and read-only commands on the shipped project, built by `quill run`.
    func latency() throws {
        let folder = try fresh(options.work.appendingPathComponent("shipped"))
        for item in ["Transcripts", "Codebooks"] {
            try FileManager.default.copyItem(at: options.repo.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
        try quill(["run"], in: folder)
        let commands: [[String]] = [
            ["--help"], ["sources"], ["codebook", "tree"], ["stats", "frequency"], ["stats", "cooccurrence"],
            ["excerpts", "--code", "LHS rationale and goals/Better outcomes for patients"], ["codings"], ["log"], ["check"],
        ]
        for args in commands {
            var times: [Double] = []
            var rss = 0
            try quill(args, in: folder)  // warm-up
            for _ in 0..<30 {
                let m = try quill(args, in: folder)
                times.append(m.seconds)
                rss = max(rss, m.maxRSS)
            }
            times.sort()
            emit(
                Row(
                    size: "shipped", step: "quill " + args.joined(separator: " "), seconds: times[times.count / 2],
                    throughput: String(format: "median of 30; min %.1f ms, max %.1f ms", times[0] * 1000, times[times.count - 1] * 1000),
                    rss: rss))
        }
    }

    func machine() -> String {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
            ?? "unknown CPU"
        let mem =
            (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?
            .split(separator: "\n").first.map(String.init) ?? ""
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return
            "Machine: \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(mem.replacingOccurrences(of: "  ", with: "")), Linux \(release); \(options.words) words per transcript"
    }
}

func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

let args = Array(CommandLine.arguments.dropFirst())
do {
    if args.first == "generate" {
        var count = 100, words = 5000, format = CorpusFormat.txt, dir = "corpus"
        var it = args.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--count": count = Int(it.next() ?? "") ?? count
            case "--words": words = Int(it.next() ?? "") ?? words
            case "--format": format = CorpusFormat(rawValue: it.next() ?? "") ?? format
            case "--dir": dir = it.next() ?? dir
            default: throw BenchError("unknown option \(a)")
            }
        }
        let options = try parseOptions([])
        let keywords = try CorpusGenerator.keywords(ofCodebook: options.repo.appendingPathComponent("Codebooks/lhs-framework.yaml").path)
        let s = try CorpusGenerator(keywords: keywords, wordsPerTranscript: words).write(
            count: count, format: format, into: URL(fileURLWithPath: dir))
        say("\(s.files) files, \(s.bytes) bytes, \(s.words) words, \(s.turns) segments")
    } else {
        try Bench(try parseOptions(args)).run()
    }
} catch {
    FileHandle.standardError.write(Data("quill-bench: \(error)\n".utf8))
    exit(1)
}
