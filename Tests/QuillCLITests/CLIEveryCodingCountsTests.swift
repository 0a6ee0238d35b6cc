import Foundation
import Testing
import ZIPFoundation

/// Every coding counts in every analysis, wherever it lies: a coding of text outside the speaker
/// turns (a title, a date line) counts in the gap it lies in.
@Suite struct CLIEveryCodingCountsTests {
    static let transcript = "Date: 14 March 2025\nLocation: Leeds\n\nInterviewer: What helps?\nP01: The search.\n"

    @Test func aCodingOfTheHeaderCountsInFrequencyExcerptsAndMatrices() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("a.txt", Data(Self.transcript.utf8))
        try quill.write("codings.csv", Data("source,start,end,code\na,0,19,Search\na,67,78,Search\n".utf8))
        for arguments in [["init"], ["codebook", "import", "codebook.yaml"], ["import", "a.txt"], ["code", "--from", "codings.csv"]] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let frequency = try quill.run(["stats", "frequency", "--format", "csv"]).stdout
        #expect(frequency.contains("Evidence/Search,1,2,2,1,100.0,1,50.0\r\n"), "\(frequency)")
        let excerpts = try quill.run(["excerpts", "--code", "Search", "--format", "csv"]).stdout
        #expect(excerpts.contains("a,,,,0,50,Evidence/Search,\"Date: 14 March 2025\nLocation: Leeds\n\nInterviewer: \"\r\n"), "\(excerpts)")
        #expect(excerpts.contains("a,2,P01,P01,67,78,Evidence/Search,The search.\r\n"), "\(excerpts)")
        #expect(
            try quill.run(["excerpts", "--code", "Search"]).stdout.hasPrefix("a (between segments)  [Evidence/Search]\n    Date: 14 March 2025\n"))
        let bySource = try quill.run(["stats", "matrix", "--by", "source", "--format", "csv"]).stdout
        #expect(bySource.contains("Evidence/Search,2"), "\(bySource)")
        // Leaving interviewers out keeps it; a filter on cases leaves it out, as it has no speaker.
        #expect(try quill.run(["stats", "frequency", "--exclude-interviewers", "--format", "csv"]).stdout.contains("Evidence/Search,1,2,2,"))
        #expect(try quill.run(["stats", "frequency", "--case", "P01", "--format", "csv"]).stdout.contains("Evidence/Search,1,1,1,"))
        #expect(try quill.run(["check"]).status == 0)
    }

    /// The text of an NVivo export of annotated video comments: a title line with a colon,
    /// comments, and titles such as `Pfizer: …` between them, one of which recurs.
    static let comments = [
        "YouTube Comments: vaccine videos, March 2021",
        "",
        "I trust the science, but the rollout felt rushed to me and my family. We read every leaflet the surgery gave us "
            + "and still had questions nobody could answer in the time they had. 😀",
        "",
        "My nan got hers at the library, brilliant volunteers. The librarians had printed the NHS guidance and sat with "
            + "people who could not get online, which is more than the call centre managed in three weeks of trying.",
        "",
        "Nobody explained the side effects in plain words, so I looked them up on a forum instead, and that was a mistake, "
            + "because half of it was rumour and the other half was out of date by the time I read it.",
        "",
        "Pfizer: the announcement video",
        "The evidence was published, you can read it yourself if you know where to look.",
        "",
        "AstraZeneca: the pause",
        "Pausing it was the right call; trust comes from being open about risk.",
        "",
        "Pfizer: the follow-up video",
        "Café owners put the posters up, that is where I saw the facts first.",
        "",
    ].joined(separator: "\n")

    /// The `.qdpx` of an NVivo project that codes five passages of `comments`.
    static func commentsProject(at url: URL) throws {
        let text = comments
        let passages = ["rollout felt rushed", "at the library", "looked them up on a forum", "The evidence was published", "saw the facts first"]
        var selections = ""
        for (index, passage) in passages.enumerated() {
            let range = try #require(text.range(of: passage))
            // NVivo counts UTF-16 units.
            let start = text[..<range.lowerBound].utf16.count
            let end = start + text[range].utf16.count
            selections += """
                <PlainTextSelection guid="5e100000-0000-4000-8000-00000000000\(index)" name="p" startPosition="\(start)" endPosition="\(end)" \
                creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><Coding guid="c0d10000-0000-4000-8000-00000000000\(index)" \
                creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><CodeRef targetGUID="c0de0000-0000-4000-8000-00000000000\(index % 2)"/>\
                </Coding></PlainTextSelection>

                """
        }
        let qde = """
            <?xml version="1.0" encoding="utf-8"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="Comments" origin="NVivo for Windows 12.6">
              <Users><User guid="a1b2c3d4-0000-4000-8000-000000000001" name="Kati"/></Users>
              <CodeBook><Codes>
                <Code guid="c0de0000-0000-4000-8000-000000000000" name="Trust" isCodable="true"/>
                <Code guid="c0de0000-0000-4000-8000-000000000001" name="Information" isCodable="true"/>
              </Codes></CodeBook>
              <Sources>
                <TextSource guid="50c0e000-0000-4000-8000-000000000001" name="Comments" plainTextPath="internal://50c0e000-0000-4000-8000-000000000001.txt">
            \(selections)    </TextSource>
              </Sources>
            </Project>
            """
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in [("project.qde", Data(qde.utf8)), ("Sources/50c0e000-0000-4000-8000-000000000001.txt", Data(text.utf8))] {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    @Test func titlesWithAColonAreNotSpeakersAndEveryImportedCodingCounts() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try Self.commentsProject(at: quill.folder.appendingPathComponent("comments.qdpx"))
        let imported = try quill.run(["import-qdpx", "comments.qdpx", "--new"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Not cut at speaker labels: Comments has lines that start like labels"), "\(imported.stderr)")
        #expect(imported.stderr.contains("5 coding(s) added; 0 case(s)"), "\(imported.stderr)")
        // No invented case, and the source is in paragraphs.
        #expect(try quill.run(["cases", "list", "--format", "csv"]).stdout == "case,interviewer,segments,sources,attributes\r\n")
        #expect(try quill.run(["sources", "--format", "csv"]).stdout.contains(",paragraph,"))
        let frequency = try quill.run(["stats", "frequency", "--format", "csv"]).stdout
        #expect(frequency.contains("Trust,0,3,3,1,100.0,0,"), "\(frequency)")
        #expect(frequency.contains("Information,0,2,2,1,100.0,0,"), "\(frequency)")
        #expect(try quill.run(["check"]).status == 0)
        // Asked for, the source is cut at every label; each coding still counts.
        let cut = try quill.run(["resegment", "Comments", "--speakers"])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(try quill.run(["speakers", "Comments", "--format", "csv"]).stdout.contains("Pfizer"))
        let after = try quill.run(["stats", "frequency", "--format", "csv"]).stdout
        #expect(after.contains("Trust,0,3,"), "\(after)")
        #expect(after.contains("Information,0,2,"), "\(after)")
    }

    @Test func importSaysWhichLabelsItDeclinedAndSpeakersCutsAtThem() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.write("comments.txt", Data(Self.comments.utf8))
        #expect(try quill.run(["init"]).status == 0)
        let plain = try quill.run(["import", "comments.txt"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(
            plain.stderr.contains(
                "Note: comments.txt has lines that start like speaker labels ('Pfizer:', 'AstraZeneca:'), "
                    + "but they do not read as a transcript's (labels that recur and alternate, with most of the text in turns), so it is cut into paragraphs. If they are speakers, re-import it with --speakers."
            ), "\(plain.stderr)")
        try quill.write("again.txt", Data(Self.comments.utf8))
        #expect(try quill.run(["init", "--project", "cut.quill"]).status == 0)
        let cut = try quill.run(["import", "again.txt", "--speakers", "--project", "cut.quill"])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("by 3 speakers (YouTube Comments, Pfizer, AstraZeneca)"), "\(cut.stderr)")
        #expect(try quill.run(["import", "again.txt", "--speakers", "--no-speakers", "--project", "cut.quill"]).status != 0)
    }
}
