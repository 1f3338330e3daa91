/// "Did you mean" suggestions for misspelt keys, step ids, functions and properties.
///
/// A file may name 10,000 steps or declare 100,000 properties, so a suggestion must cost little
/// per candidate: a candidate whose length alone puts it too far is skipped before any edit
/// distance, the distance is computed in reused buffers and stops as soon as it exceeds the
/// best found so far, and at most ``maxCandidates`` candidates are examined. Messages with a
/// suggestion are built only for the diagnostics that a ``DiagnosticBag`` keeps, so a file
/// costs at most ``DiagnosticBag/limit`` suggestions.
public enum Suggestion {
    /// The most candidates examined for one word: as many as the steps a workflow may have, so
    /// that only longer lists (of schema properties) are cut, at their end.
    static let maxCandidates = 10_000

    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely
    /// typo: at most a third of the word's length (and at least 1) edits away, ignoring case.
    /// Of equally close candidates the first wins, so pass them in a stable order.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var distance = EditDistance(to: word)
        let limit = max(1, distance.wordLength / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates.prefix(maxCandidates) where candidate != word {
            // Only a strictly closer candidate replaces the best one.
            let bound = min(limit, (best?.distance ?? .max) - 1)
            guard bound >= 0 else { break }
            let found = distance.from(candidate, limit: bound)
            if found <= bound { best = (candidate, found) }
        }
        return best?.candidate
    }

    /// `; did you mean "x"?` or an empty string, to append to a message.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
    }
}

/// Levenshtein distance with transpositions counted as one edit, ignoring case, from
/// candidates to one word, with the buffers kept between candidates.
private struct EditDistance {
    private var word: [Unicode.Scalar] = []
    private var candidate: [Unicode.Scalar] = []
    /// Three rows of the table (two back, one back, current), each as wide as the candidate.
    private var rows: [Int] = []
    /// How often each ASCII character occurs in the word; nil when the word is not ASCII.
    private var wordCounts: [Int]?
    /// The counts still unmatched while a candidate is compared with them.
    private var unmatched = [Int](repeating: 0, count: 128)

    init(to word: String) {
        Self.fold(word, into: &self.word)
        if self.word.allSatisfy(\.isASCII) {
            var counts = [Int](repeating: 0, count: 128)
            for scalar in self.word { counts[Int(scalar.value)] += 1 }
            wordCounts = counts
        }
    }

    /// The word's length in lowercased Unicode scalars.
    var wordLength: Int { word.count }

    /// The distance from `text` to the word, or some value above `limit` as soon as it is
    /// certain to exceed it (at once when the lengths differ by more).
    mutating func from(_ text: String, limit: Int) -> Int {
        Self.fold(text, into: &candidate)
        guard abs(word.count - candidate.count) <= limit, bagDistance() <= limit else { return limit + 1 }
        if word.isEmpty || candidate.isEmpty { return max(word.count, candidate.count) }
        let width = candidate.count + 1
        if rows.count < 3 * width { rows = [Int](repeating: 0, count: 3 * width) }
        // Buffer pointers: this loop runs for up to 10,000 candidates per word, and array
        // writes would check uniqueness on every cell.
        return word.withUnsafeBufferPointer { a in
            candidate.withUnsafeBufferPointer { b in
                rows.withUnsafeMutableBufferPointer { rows in
                    Self.distance(a, b, rows: rows, width: width, limit: limit)
                }
            }
        }
    }

    /// How many characters of the longer side have no equal in the other, counted with
    /// repeats: a lower bound of the edit distance (an edit changes it by at most one) that
    /// costs one pass over the candidate. 0 when the word is not ASCII.
    private mutating func bagDistance() -> Int {
        guard let wordCounts else { return 0 }
        for scalar in candidate where scalar.isASCII {
            unmatched[Int(scalar.value)] = wordCounts[Int(scalar.value)]
        }
        var matched = 0
        for scalar in candidate where scalar.isASCII && unmatched[Int(scalar.value)] > 0 {
            unmatched[Int(scalar.value)] -= 1
            matched += 1
        }
        return max(word.count, candidate.count) - matched
    }

    private static func distance(
        _ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>,
        rows: UnsafeMutableBufferPointer<Int>, width: Int, limit: Int
    ) -> Int {
        var (previous2, previous, current) = (0, width, 2 * width)
        for j in 0..<width { rows[previous + j] = j }
        for i in 1...a.count {
            rows[current] = i
            var rowMin = i
            for j in 1..<width {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, rows[previous2 + j - 2] + 1)
                }
                rows[current + j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return rowMin }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return rows[previous + width - 1]
    }

    /// The lowercased scalars of `text`, without allocating for ASCII text.
    private static func fold(_ text: String, into scalars: inout [Unicode.Scalar]) {
        scalars.removeAll(keepingCapacity: true)
        for byte in text.utf8 {
            guard byte < 0x80 else {
                scalars.removeAll(keepingCapacity: true)
                scalars.append(contentsOf: text.lowercased().unicodeScalars)
                return
            }
            scalars.append(Unicode.Scalar(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte))
        }
    }
}
