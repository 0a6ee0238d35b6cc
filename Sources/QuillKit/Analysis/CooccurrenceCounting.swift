/// Two codes by their positions in codebook order, the smaller first.
struct PairKey: Hashable, Sendable {
    var low: Int
    var high: Int

    init(_ x: Int, _ y: Int) {
        low = min(x, y)
        high = max(x, y)
    }
}

/// n(A∩B) for every pair of two different codes, by their positions in codebook order.
///
/// A codebook of up to ``denseLimit`` codes gets a square table, read and written without
/// hashing; a larger one a dictionary of the pairs that occur, whose size does not grow with
/// the square of the codebook.
struct PairCounts: Sendable {
    /// The most codes for which the counts are kept in a table (2,048 codes: 16 MiB).
    static let denseLimit = 2048

    private let size: Int
    /// `size` × `size` counts, the pair (low, high) at `low * size + high`; empty when sparse.
    /// 32 bits are enough: a count is at most the number of units, far fewer than 2³¹.
    private var table: [Int32]
    private var sparse: [PairKey: Int] = [:]

    /// Counts for a codebook of `size` codes, all 0.
    init(size: Int) {
        self.size = size
        table = size <= Self.denseLimit ? [Int32](repeating: 0, count: size * size) : []
    }

    /// Adds one to the count of two different codes.
    mutating func add(_ x: Int, _ y: Int) {
        let key = PairKey(x, y)
        if table.isEmpty {
            sparse[key, default: 0] += 1
        } else {
            table[key.low * size + key.high] += 1
        }
    }

    /// Adds one to the count of every pair in a list of different codes in increasing order.
    mutating func addPairs(of codes: [Int]) {
        guard !table.isEmpty else {
            for (index, code) in codes.enumerated() {
                for other in codes[(index + 1)...] { add(code, other) }
            }
            return
        }
        let size = size
        table.withUnsafeMutableBufferPointer { cells in
            codes.withUnsafeBufferPointer { codes in
                for first in codes.indices {
                    let row = codes[first] * size
                    for second in (first + 1)..<codes.count { cells[row + codes[second]] += 1 }
                }
            }
        }
    }

    /// The count of two different codes.
    subscript(_ x: Int, _ y: Int) -> Int {
        let key = PairKey(x, y)
        return table.isEmpty ? sparse[key] ?? 0 : Int(table[key.low * size + key.high])
    }

    /// The pairs whose count is at least `threshold` (which must be 1 or more), in no
    /// particular order.
    func pairs(atLeast threshold: Int) -> [(key: PairKey, value: Int)] {
        guard !table.isEmpty else { return sparse.filter { $0.value >= threshold }.map { ($0.key, $0.value) } }
        var result: [(key: PairKey, value: Int)] = []
        for low in 0..<size {
            for high in (low + 1)..<max(low + 1, size) where Int(table[low * size + high]) >= threshold {
                result.append((PairKey(low, high), Int(table[low * size + high])))
            }
        }
        return result
    }
}

/// The units of a co-occurrence analysis: how many there are, and which a coding is present
/// in, given to a closure as runs of consecutive units (a unit may come more than once).
struct CooccurrenceUnits {
    let total: Int
    let visit: (AnalysisSnapshot.Coding, (Range<Int>) -> Void) -> Void

    init(total: Int, visit: @escaping (AnalysisSnapshot.Coding, (Range<Int>) -> Void) -> Void) {
        self.total = total
        self.visit = visit
    }
}

/// The codes present in each unit, found by a sweep over the units in order.
///
/// A coding is present in runs of consecutive units. Each run starts at one unit and ends at
/// another; a counter per code says how many runs of its codings cover the current unit, and
/// the codes whose counter is above 0 are the unit's codes, each once. The cost is a step per
/// run and code it stands for, plus the codes of each unit: a coding across several units
/// costs no more than one in a single unit.
struct CodePresenceSweep {
    private let total: Int
    private let codeCount: Int
    private let codesOfCoding: [[Int]]
    /// The coding of each run.
    private let runCodings: [Int]
    /// The runs by the unit they start at, and by the unit after their last.
    private let starting: Buckets
    private let ending: Buckets

    /// Collects the runs of every coding.
    init(_ snapshot: AnalysisSnapshot, units: CooccurrenceUnits, codesOfCoding: [[Int]], codeCount: Int) {
        var starts: [Int] = [], ends: [Int] = [], codings: [Int] = []
        for (index, coding) in snapshot.codings.enumerated() where !codesOfCoding[index].isEmpty {
            units.visit(coding) { run in
                guard !run.isEmpty else { return }
                starts.append(run.lowerBound)
                ends.append(run.upperBound)
                codings.append(index)
            }
        }
        total = units.total
        self.codeCount = codeCount
        self.codesOfCoding = codesOfCoding
        runCodings = codings
        starting = Buckets(keys: starts, count: units.total + 1)
        ending = Buckets(keys: ends, count: units.total + 1)
    }

    /// Calls `body` with the codes of each unit that has any, in increasing order, unit by unit.
    func forEachUnit(_ body: ([Int]) -> Void) {
        var covering = [Int](repeating: 0, count: codeCount)
        var present: [Int] = []
        // Where a code is or would go in `present`, which is kept in order.
        func place(of code: Int) -> Int {
            var low = 0
            var high = present.count
            while low < high {
                let middle = (low + high) / 2
                if present[middle] < code { low = middle + 1 } else { high = middle }
            }
            return low
        }
        for unit in 0..<total {
            for run in ending[unit] {
                for code in codesOfCoding[runCodings[run]] {
                    covering[code] -= 1
                    if covering[code] == 0 { present.remove(at: place(of: code)) }
                }
            }
            for run in starting[unit] {
                for code in codesOfCoding[runCodings[run]] {
                    covering[code] += 1
                    if covering[code] == 1 { present.insert(code, at: place(of: code)) }
                }
            }
            if !present.isEmpty { body(present) }
        }
    }
}

/// The indexes of a list of keys grouped by key, each group in increasing order (a counting
/// sort).
struct Buckets {
    /// Where each key's indexes start in `indexes`; one more entry for the end.
    private let starts: [Int]
    private let indexes: [Int]

    /// Groups the indexes of `keys`, each of which must be in `0..<count`.
    init(keys: [Int], count: Int) {
        var starts = [Int](repeating: 0, count: count + 1)
        for key in keys { starts[key + 1] += 1 }
        for key in 0..<count { starts[key + 1] += starts[key] }
        var next = starts
        var indexes = [Int](repeating: 0, count: keys.count)
        for (index, key) in keys.enumerated() {
            indexes[next[key]] = index
            next[key] += 1
        }
        self.starts = starts
        self.indexes = indexes
    }

    /// The indexes whose key is `key`.
    subscript(key: Int) -> ArraySlice<Int> {
        indexes[starts[key]..<starts[key + 1]]
    }
}
