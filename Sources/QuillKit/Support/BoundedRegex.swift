import Foundation

/// A regular expression whose every search of a text stops, with an error, when it backtracks
/// for too long.
///
/// ICU, which runs `NSRegularExpression`, tries the ways a pattern can match one after another.
/// A pattern with nested quantifiers, such as `(\w+\s?)*$`, has exponentially many ways on a
/// text it almost matches, and a single line of 150 characters keeps it busy for hours. Rules
/// and speaker patterns come from files that travel between people, so every search Quill runs
/// with one goes through this type, which stops it after a fixed number of steps.
///
/// How the steps are counted, as read in ICU's `regexec.cpp` and CoreFoundation's
/// `CFRegularExpression.c` and checked on Linux: with `.reportProgress`, Foundation calls the
/// enumeration block with no result from two ICU callbacks.
/// - The match callback, once every 10,000 backtracking states the matcher saves (ICU's
///   `TIMER_INITIAL_VALUE`). Its count runs on across the whole search of one text. A linear
///   pattern such as `^(?:a|b)*c` on 100,000 `a`s makes 20 calls (two states a character).
/// - The find-progress callback, once each time the search moves its start on by one code
///   point: at most once per UTF-16 unit of the text, however simple the pattern. A search for
///   `\bwait(ing)? (list|time)s?\b` in 9,800 characters of prose where it does not match makes
///   9,797 such calls and no match calls.
///   With `.anchored` the search never moves on, and these calls do not reach the block.
///
/// The block cannot tell the two apart, so a search may make as many calls as its text has
/// UTF-16 units, plus `progressLimit`: only a search past both has certainly saved more than
/// `progressLimit` × 10,000 states. The count is deterministic (it counts, it does not time);
/// on a long text the bound is looser by 10,000 steps a character, which still stops any
/// pattern that backtracks out of hand.
///
/// ```swift
/// let rule = BoundedRegex(try NSRegularExpression(pattern: #"\bwait(ing)? lists?\b"#))
/// try rule.forEachMatch(in: text) { match in
///     print(match.range)
///     return true // go on to the next match
/// }
/// ```
struct BoundedRegex: Sendable {
    /// How many progress reports of ICU's matcher (each 10,000 saved backtracking states) one
    /// search of one text may take beyond its length: 1,000, so 10 million steps, which a
    /// pattern that runs away reaches in about a quarter of a second. Ordinary rules stay far
    /// below it: on 72,000 characters of speech, patterns such as `\bwait(ing)? (list|time)s?\b`,
    /// `\b\w+ing\b` or `(?:\w+\W+){0,5}list` saved between none and 910,000 states in all.
    /// There is no setting to raise it, so that a project gives the same result on every
    /// machine; a pattern that needs more should be written another way.
    static let progressLimit = 1_000

    /// How many saved backtracking states ICU counts between two progress reports.
    static let stepsPerProgressReport = 10_000

    /// The limit in steps, for messages.
    static var stepLimit: Int { progressLimit * stepsPerProgressReport }

    /// A search that took more steps than the limit, or an expression that took more time in
    /// all than its allowance.
    struct LimitExceeded: Error, Equatable {
        /// The limit it went past, in steps, for one search.
        var steps: Int
        /// The allowance it went past, in whole seconds, for all its searches; nil when it was
        /// one search's steps.
        var seconds: Int? = nil

        /// The error for the user.
        func error(file: String, place: String, pattern: String, segment: String) -> QuillError {
            if let seconds {
                return .regexTooSlow(file: file, place: place, pattern: pattern, segment: segment, seconds: seconds)
            }
            return .regexTooComplex(file: file, place: place, pattern: pattern, segment: segment, limit: steps)
        }
    }

    /// The time one expression may spend on all its searches in one command: 5 seconds, and a
    /// second more for every million UTF-16 units searched. The step limit holds for each
    /// search, but a pattern that stays just below it on every segment (`(?:\w*){1,8}QQ`)
    /// would still take minutes over a whole project; ordinary rules search several megabytes a
    /// second, so only such a pattern ever comes near this. Unlike the step limit it is a time,
    /// so it is checked only as a last guard.
    static let baseAllowance: Duration = .seconds(5)
    static let allowancePerMillionUnits: Duration = .seconds(1)

    /// The time an expression has spent on its searches, shared by the copies of one
    /// `BoundedRegex` (as the segments of an import are read on several cores).
    final class Allowance: @unchecked Sendable {
        private let lock = NSLock()
        private var spent: Duration = .zero
        private var searched = 0
        let base: Duration

        init(base: Duration) { self.base = base }

        /// Whether spending `more` on a search of `units` (not counted yet) stays within it.
        func allows(_ more: Duration, units: Int) -> Bool {
            lock.withLock { spent + more <= base + allowancePerMillionUnits * (Double(searched + units) / 1_000_000) }
        }

        /// Counts a finished search.
        func add(_ time: Duration, units: Int) {
            lock.withLock {
                spent += time
                searched += units
            }
        }

        /// The allowance in whole seconds, for messages.
        var seconds: Int { lock.withLock { Int((base + allowancePerMillionUnits * (Double(searched) / 1_000_000)).components.seconds) } }
    }

    /// The compiled expression.
    let expression: NSRegularExpression
    /// The progress reports a search may take beyond its text's length; tests lower it.
    let progressLimit: Int
    /// The time this expression may spend in all.
    let allowance: Allowance

    /// Bounds an expression.
    init(
        _ expression: NSRegularExpression, progressLimit: Int = BoundedRegex.progressLimit,
        allowance: Duration = BoundedRegex.baseAllowance
    ) {
        self.expression = expression
        self.progressLimit = progressLimit
        self.allowance = Allowance(base: allowance)
    }

    /// The expression as written.
    var pattern: String { expression.pattern }

    /// Calls `body` with each match in a text, in order, as `NSRegularExpression.matches(in:)`
    /// finds them, until `body` returns false.
    /// - Parameters:
    ///   - text: the text.
    ///   - range: the part of it to search, in UTF-16 units; nil searches it all.
    ///   - options: matching options, such as `.anchored`.
    /// - Throws: `LimitExceeded` when the search takes more than the limit of steps; `body` may
    ///   have seen some matches by then.
    func forEachMatch(
        in text: String, range: NSRange? = nil, options: NSRegularExpression.MatchingOptions = [],
        _ body: (NSTextCheckingResult) -> Bool
    ) throws(LimitExceeded) {
        let range = range ?? NSRange(location: 0, length: text.utf16.count)
        // The search may move its start on once per UTF-16 unit; what goes beyond that is the
        // matcher's backtracking.
        let budget = progressLimit + range.length
        var reports = 0
        var isOutOfTime = false
        let clock = ContinuousClock()
        let started = clock.now
        withoutActuallyEscaping(body) { body in
            expression.enumerateMatches(in: text, options: options.union(.reportProgress), range: range) { match, _, stop in
                guard let match else {
                    reports += 1
                    if reports > budget { stop.pointee = true }
                    // The clock is read every 256 reports, so that a plain search pays nothing.
                    if reports & 255 == 0, !allowance.allows(clock.now - started, units: range.length) {
                        isOutOfTime = true
                        stop.pointee = true
                    }
                    return
                }
                if !body(match) { stop.pointee = true }
            }
        }
        let took = clock.now - started
        allowance.add(took, units: range.length)
        if reports > budget { throw LimitExceeded(steps: progressLimit * Self.stepsPerProgressReport) }
        if isOutOfTime || !allowance.allows(.zero, units: 0) {
            throw LimitExceeded(steps: progressLimit * Self.stepsPerProgressReport, seconds: max(1, allowance.seconds))
        }
    }

    /// The matches in a text, in order.
    /// - Throws: `LimitExceeded` when the search takes more than the limit of steps.
    func matches(in text: String, options: NSRegularExpression.MatchingOptions = []) throws(LimitExceeded) -> [NSTextCheckingResult] {
        var found: [NSTextCheckingResult] = []
        try forEachMatch(in: text, options: options) { match in
            found.append(match)
            return true
        }
        return found
    }

    /// The first match in a text, if any.
    /// - Throws: `LimitExceeded` when the search takes more than the limit of steps.
    func firstMatch(in text: String, options: NSRegularExpression.MatchingOptions = []) throws(LimitExceeded) -> NSTextCheckingResult? {
        var first: NSTextCheckingResult?
        try forEachMatch(in: text, options: options) { match in
            first = match
            return false
        }
        return first
    }
}
