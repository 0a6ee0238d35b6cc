import Foundation
import QuillKit
import Testing

/// `quill` killed with SIGKILL at random moments, as by a power cut or the out-of-memory
/// killer: the project must open, pass `quill check`, and hold either everything the command
/// did or nothing of it.
@Suite struct CLICrashConsistencyTests {
    /// A transcript of `turns` exchanges, long enough that importing and coding it takes a while.
    static func transcript(_ number: Int, turns: Int) -> String {
        var text = "Workshop \(number) — transcript\r\n\r\n"
        for turn in 1...turns {
            text += "Interviewer: Question \(turn): where do you look for evidence?\r\n"
            text +=
                "P\(number): I run a literature search 👍 at the café, then write a summary; "
                + "the barrier is time, and I can't always finish (\(number)-\(turn)).\r\n\r\n"
        }
        return text
    }

    /// One command to kill: the project it starts from, and what it runs.
    struct Step {
        var name: String
        var before: String
        var arguments: [String]
    }

    @Test func killedCommandsLeaveTheProjectAsItWasOrAsTheCommandMadeIt() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let folder = quill.folder
        func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
        // Every command runs in a folder of its own on a project.quill there, so that the
        // command line the history keeps is the same in every run.
        func place(_ state: String, in subfolder: String) throws {
            try FileManager.default.createDirectory(at: url(subfolder), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: url(state), to: url("\(subfolder)/project.quill"))
        }
        // Four larger transcripts to import; the other commands work on a smaller project,
        // so that the whole test stays short in a debug build.
        let big = (1...4).map { "big/workshop-\($0).txt" }
        for (number, file) in big.enumerated() {
            try quill.write(file, Data(Self.transcript(number + 1, turns: 150).utf8))
        }
        try FileManager.default.copyItem(at: url("project.quill"), to: url("base.quill"))
        let small = (5...6).map { "small/workshop-\($0).txt" }
        for (number, file) in small.enumerated() {
            try quill.write(file, Data(Self.transcript(number + 5, turns: 30).utf8))
        }
        try #require(try quill.run(["import"] + small).status == 0)
        try FileManager.default.copyItem(at: url("project.quill"), to: url("small.quill"))

        // Each step's reference run, completed, is "the command's whole effect"; some steps
        // start from what an earlier one made.
        let steps = [
            Step(name: "import", before: "base.quill", arguments: ["import"] + big.map { "../" + $0 }),
            Step(name: "autocode", before: "small.quill", arguments: ["autocode", "--apply"]),
            Step(name: "undo", before: "autocode.quill", arguments: ["undo"]),
            Step(name: "merge", before: "small.quill", arguments: ["merge", "../autocode.quill"]),
            Step(name: "import-qdpx", before: "base.quill", arguments: ["import-qdpx", "../autocode.qdpx"]),
        ]
        var generator = SeededGenerator(seed: 20_251_127)
        var killedWhileRunning = 0, endedBefore = 0, endedAfter = 0
        for step in steps {
            if step.name == "import-qdpx" {
                let exported = try quill.run(["export", "qdpx", "autocode.qdpx", "--project", "autocode.quill"])
                try #require(exported.status == 0, "\(exported.stderr)")
            }
            try place(step.before, in: "reference-\(step.name)")
            let started = Date()
            let reference = try quill.run(step.arguments, in: "reference-\(step.name)")
            let duration = Date().timeIntervalSince(started)
            try #require(reference.status == 0, "quill \(step.name): \(reference.stderr)")
            try FileManager.default.copyItem(at: url("reference-\(step.name)/project.quill"), to: url("\(step.name).quill"))
            let before = try ProjectFingerprint.of(url(step.before))
            let after = try ProjectFingerprint.of(url("\(step.name).quill"))
            try #require(before != after, "quill \(step.name) changed nothing")
            let beforeSegments = try ProjectFingerprint.segmentsPerSource(url(step.before))
            let afterSegments = try ProjectFingerprint.segmentsPerSource(url("\(step.name).quill"))

            for run in 0..<8 {
                let subfolder = "killed-\(step.name)-\(run)"
                try place(step.before, in: subfolder)
                let delay = Double.random(in: 0...(duration * 1.1), using: &generator)
                let running = try RunningQuill(quill, step.arguments, in: subfolder)
                usleep(useconds_t(delay * 1_000_000))
                if running.killHard() { killedWhileRunning += 1 }

                let label = "quill \(step.name) killed after \(Int(delay * 1000)) of \(Int(duration * 1000)) ms (run \(run))"
                let check = try quill.run(["check"], in: subfolder)
                #expect(check.status == 0, "\(label): the project does not check out: \(check.stdout) \(check.stderr)")
                let project = url("\(subfolder)/project.quill")
                let state = try ProjectFingerprint.of(project)
                #expect(
                    state == before || state == after,
                    "\(label): the project holds part of the command's work: \(ProjectFingerprint.firstDifference(state, after))")
                if state == before { endedBefore += 1 } else if state == after { endedAfter += 1 }
                // Every source is there with all its segments, or not there at all.
                for (name, count) in try ProjectFingerprint.segmentsPerSource(project) {
                    #expect(count == (afterSegments[name] ?? beforeSegments[name]), "\(label): '\(name)' has \(count) segments")
                }
                try? FileManager.default.removeItem(at: url(subfolder))
            }
        }
        // The kills landed both before and after the commands committed.
        #expect(
            killedWhileRunning > 10 && endedBefore > 0 && endedAfter > 0,
            "killed while running: \(killedWhileRunning), ended before: \(endedBefore), after: \(endedAfter)")
    }
}
