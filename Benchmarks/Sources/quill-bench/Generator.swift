import Foundation
import ZIPFoundation

/// A small, fast, deterministic random number generator (SplitMix64), so that a corpus is
/// the same bytes on every machine and every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// The transcript file formats the generator writes.
enum CorpusFormat: String, CaseIterable {
    case txt, vtt, docx
}

/// One generated transcript: its turns, as (speaker, sentences).
struct Transcript {
    var name: String
    var participant: String
    var turns: [(speaker: String, sentences: [String])]

    var wordCount: Int { turns.reduce(0) { $0 + $1.sentences.reduce(0) { $0 + $1.split(separator: " ").count } } }
}

/// Writes realistic interview transcripts: an interviewer and one participant taking turns,
/// ordinary conversational English with hesitations, and the codebook's keywords at natural
/// rates (about one sentence in six mentions one).
struct CorpusGenerator {
    var keywords: [String]
    var wordsPerTranscript: Int
    var seed: UInt64 = 2026

    static let firstNames = [
        "Aisha", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Grace", "Hamza", "Ines", "Jonah",
        "Kasia", "Liam", "Maya", "Niamh", "Owen", "Priya", "Rhys", "Siobhán", "Tomasz", "Zoë",
    ]
    static let surnames = [
        "Okafor", "Brennan", "Kowalski", "Patel", "MacLeod", "Haddad", "Jones", "Nakamura", "Rossi", "Evans",
        "O'Neill", "Dubois", "Singh", "Lindqvist", "Mensah", "García", "Murphy", "Chen", "Ahmed", "Fraser",
    ]
    static let roles = [
        "clinical librarian", "KLS manager", "consultant", "data analyst", "nurse educator",
        "knowledge lead", "QI lead", "digital lead", "pharmacist", "ward manager",
    ]
    static let fillers = ["um,", "so,", "you know,", "I mean,", "sort of", "honestly,", "actually,", "well,"]
    static let vocabulary = """
        the a of to and in that it we was for on with they but is at this be have are our what from there \
        about when people team ward service library staff time work year question search evidence report \
        group meeting trust manager nurse doctor board data paper review policy practice patient clinic \
        week month always never really quite often just still then because which where would could should \
        think know want need find look help start change keep bring share learn use make take give tell \
        new old local national small big whole first last next every other same different good hard \
        project training session request survey summary briefing feedback outcome process system network
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Reads the keywords of a YAML codebook: the items of every `keywords:` list.
    static func keywords(ofCodebook path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String] = []
        var listIndent: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix(while: { $0 == " " }).count
            let body = line.dropFirst(indent)
            if body == "keywords:" {
                listIndent = indent
                continue
            }
            if let list = listIndent, indent == list || indent == list + 2, body.hasPrefix("- ") {
                var item = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                if item.count >= 2, let first = item.first, first == "'" || first == "\"", item.last == first {
                    item = String(item.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
                }
                result.append(item)
            } else {
                listIndent = nil
            }
        }
        return result
    }

    /// The transcript with a number; the same number always gives the same transcript.
    func transcript(_ number: Int) -> Transcript {
        var rng = SplitMix64(seed: seed &+ UInt64(number) &* 0x1000_0001)
        let first = Self.firstNames[rng.below(Self.firstNames.count)]
        let participant = "\(first) \(Self.surnames[number / Self.firstNames.count % Self.surnames.count])"
        var turns: [(String, [String])] = []
        var words = 0
        var interviewer = true
        while words < wordsPerTranscript {
            let count = interviewer ? 1 + rng.below(2) : 2 + rng.below(7)
            var sentences: [String] = []
            for _ in 0..<count {
                let sentence = self.sentence(&rng, question: interviewer)
                words += sentence.split(separator: " ").count
                sentences.append(sentence)
            }
            turns.append((interviewer ? "Interviewer" : participant, sentences))
            interviewer.toggle()
        }
        return Transcript(name: String(format: "interview-%05d", number), participant: participant, turns: turns)
    }

    private func sentence(_ rng: inout SplitMix64, question: Bool) -> String {
        let length = 6 + rng.below(16)
        var words: [String] = []
        let keywordAt = rng.chance(0.17) ? rng.below(length) : -1
        for index in 0..<length {
            if index == keywordAt, !keywords.isEmpty {
                words.append(keywords[rng.below(keywords.count)])
            } else if rng.chance(0.05) {
                words.append(Self.fillers[rng.below(Self.fillers.count)])
            } else {
                words.append(Self.vocabulary[rng.below(Self.vocabulary.count)])
            }
        }
        var text = words.joined(separator: " ")
        if text.hasSuffix(",") { text.removeLast() }
        return text.prefix(1).uppercased() + text.dropFirst() + (question ? "?" : ".")
    }

    // MARK: Formats

    /// A plain-text transcript, in the house style of the shipped ones.
    static func txt(_ t: Transcript) -> String {
        var out = "Date: 14 March 2025\nLocation: Microsoft Teams\n\n"
        for turn in t.turns {
            out += turn.speaker + ": " + turn.sentences.joined(separator: " ") + "\n\n"
        }
        return out
    }

    /// A WebVTT caption file: one cue per sentence, with the speaker's name in each cue.
    static func vtt(_ t: Transcript) -> String {
        var out = "WEBVTT\n\n"
        var cue = 0
        var millis = 1_000
        for turn in t.turns {
            for sentence in turn.sentences {
                cue += 1
                let end = millis + 250 * sentence.split(separator: " ").count + 400
                out += "\(cue)\n\(timestamp(millis)) --> \(timestamp(end))\n\(turn.speaker): \(sentence)\n\n"
                millis = end + 300
            }
        }
        return out
    }

    private static func timestamp(_ millis: Int) -> String {
        String(format: "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
    }

    /// The body of a minimal WordprocessingML document: one paragraph per turn.
    static func documentXML(_ t: Transcript) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            """
        func paragraph(_ text: String, bold: String? = nil) {
            out += "<w:p>"
            if let bold { out += "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">\(escape(bold))</w:t></w:r>" }
            out += "<w:r><w:t xml:space=\"preserve\">\(escape(text))</w:t></w:r></w:p>"
        }
        paragraph("Date: 14 March 2025")
        for turn in t.turns { paragraph(" " + turn.sentences.joined(separator: " "), bold: turn.speaker + ":") }
        out += "<w:sectPr/></w:body></w:document>"
        return out
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        </Types>
        """
    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """

    /// A minimal valid .docx: content types, the package relationships and the document part.
    static func docx(_ t: Transcript, to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in [("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRels), ("word/document.xml", documentXML(t))] {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                modificationDate: Date(timeIntervalSince1970: 1_735_689_600),
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// What a generated corpus holds, for the throughput figures.
    struct Summary {
        var files = 0
        var bytes = 0
        var words = 0
        /// Speaker turns, which `quill import` makes into segments.
        var turns = 0
        /// The number of turns of each transcript, by number.
        var turnsPerTranscript: [Int] = []
    }

    /// Writes transcripts `0..<count` in one format into a folder (made if missing); files
    /// already there with the right name are kept, so a corpus is generated once.
    @discardableResult
    func write(count: Int, format: CorpusFormat, into folder: URL) throws -> Summary {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var summary = Summary()
        for number in 0..<count {
            let t = transcript(number)
            let url = folder.appendingPathComponent("\(t.name).\(format.rawValue)")
            if !FileManager.default.fileExists(atPath: url.path) {
                switch format {
                case .txt: try Data(Self.txt(t).utf8).write(to: url)
                case .vtt: try Data(Self.vtt(t).utf8).write(to: url)
                case .docx: try Self.docx(t, to: url)
                }
            }
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            summary.files += 1
            summary.bytes += size
            summary.words += t.wordCount
            let segments = format == .vtt ? t.turns.reduce(0) { $0 + $1.sentences.count } : t.turns.count
            summary.turns += segments
            summary.turnsPerTranscript.append(t.turns.count)
        }
        return summary
    }

    /// A synthetic flat-and-deep codebook of `count` codable codes under `count / 25` themes.
    static func syntheticCodebook(codes count: Int) -> String {
        var out = "name: Synthetic benchmark codebook\ncodes:\n"
        let perTheme = 25
        for theme in 0..<(count + perTheme - 1) / perTheme {
            out += "- name: Theme \(theme + 1)\n  children:\n"
            for child in 0..<min(perTheme, count - theme * perTheme) {
                out += "  - name: Code \(theme * perTheme + child + 1)\n"
            }
        }
        return out
    }

    /// A codings file for `quill code --from`: `perSource` codings in every source, each a
    /// different code of the synthetic codebook, spread over the source's turns.
    static func codingsCSV(turnsPerTranscript: [Int], perSource: Int, codes: Int, into url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("source,segment,code\n".utf8))
        for (index, turns) in turnsPerTranscript.enumerated() {
            var chunk = ""
            let name = String(format: "interview-%05d", index)
            for k in 0..<perSource {
                // 7919 is prime, so k -> code is one-to-one: no (segment, code) twice.
                let code = (k * 7919 + index * 31) % codes + 1
                let segment = (k * 13 + index) % turns + 1
                chunk += "\(name),\(segment),Theme \((code - 1) / 25 + 1)/Code \(code)\n"
            }
            try handle.write(contentsOf: Data(chunk.utf8))
        }
    }
}
