import ApexDSL
import ApexEngine
import Foundation
import OrderedCollections

/// Rewrites parts of a test file in place, keeping everything else (comments, other cases)
/// as written: a case's `expect` (`apex test --update`) or its `llm` replies (`--record`).
/// Values are written as JSON, which is YAML too.
struct TestFileRewriter {
    private var lines: [String]
    /// Replacements by the range they replace, applied from the end so that ranges stay valid.
    private var edits: [(range: SourceRange?, after: SourceRange, key: String, value: OrderedDictionary<String, JSONValue>)] = []

    init(_ source: SourceFile) {
        lines = source.text.components(separatedBy: "\n")
    }

    /// Sets the case's `key` mapping to `value`: replaces the value at `range`, or adds the key
    /// at the end of the case (`caseRange`) when the case has none.
    mutating func set(_ key: String, to value: OrderedDictionary<String, JSONValue>, replacing range: SourceRange?, inCase caseRange: SourceRange) {
        edits.append((range, caseRange, key, value))
    }

    /// The file's new text.
    func text() -> String {
        var lines = self.lines
        let ordered = edits.sorted { ($0.range ?? $0.after).start > ($1.range ?? $1.after).start }
        for edit in ordered {
            let indent = String(repeating: " ", count: (edit.range ?? edit.after).start.column - 1)
            if let written = edit.range {
                let range = trimmed(written, in: lines)
                let startLine = range.start.line - 1, endLine = range.end.line - 1
                let head = String(lines[startLine].unicodeScalars.prefix(range.start.column - 1))
                let tail = String(lines[endLine].unicodeScalars.dropFirst(range.end.column - 1))
                // A value written on its key's line (`expect: {…}`) stays a flow mapping there.
                let inline = !head.trimmingCharacters(in: .whitespaces).isEmpty
                let body = inline ? [head + flow(edit.value) + tail]
                    : block(edit.value, indent: indent).enumerated().map { $0 == 0 ? head + $1.dropFirst(indent.count) : $1 } + (tail.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [indent + tail])
                lines.replaceSubrange(startLine...endLine, with: body)
            } else {
                let caseIndent = String(repeating: " ", count: edit.after.start.column - 1)
                let at = lastLine(ofCaseEndingAt: edit.after.end, in: lines)
                lines.insert(contentsOf: [caseIndent + edit.key + ":"] + block(edit.value, indent: caseIndent + "  "), at: at + 1)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `key: value` lines at `indent`, each value in flow style.
    private func block(_ value: OrderedDictionary<String, JSONValue>, indent: String) -> [String] {
        value.map { key, value in "\(indent)\(key): \(Self.flow(value))" }
    }

    private func flow(_ value: OrderedDictionary<String, JSONValue>) -> String { Self.flow(.object(value)) }

    /// A value in YAML flow style: strings plain where YAML reads them back as the same string,
    /// quoted as JSON otherwise.
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .object(let fields): "{" + fields.map { "\(flow(.string($0))): \(flow($1))" }.joined(separator: ", ") + "}"
        case .array(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
        case .string(let text) where isPlain(text): text
        default: value.compactJSON
        }
    }

    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, CharacterSet.letters.contains(first) || first == "_" else { return false }
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        return !reserved.contains(text.lowercased()) && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-./".unicodeScalars.contains($0) }
    }

    /// `range` ending at the end of its last line of text: a block value's range ends where
    /// the next token starts, in the next line's indentation or past the end of the file.
    private func trimmed(_ range: SourceRange, in lines: [String]) -> SourceRange {
        var line = range.end.line - 1
        if line < lines.count, !String(lines[line].unicodeScalars.prefix(range.end.column - 1)).trimmingCharacters(in: .whitespaces).isEmpty {
            return range
        }
        line = min(line, lines.count) - 1
        while line > range.start.line - 1, lines[line].trimmingCharacters(in: .whitespaces).isEmpty { line -= 1 }
        return SourceRange(start: range.start, end: SourceLocation(line: line + 1, column: lines[line].unicodeScalars.count + 1))
    }

    /// The 0-based line a case's text ends on: a range that ends at column 1 ends on the line before.
    private func lastLine(ofCaseEndingAt end: SourceLocation, in lines: [String]) -> Int {
        var line = end.column == 1 ? end.line - 2 : end.line - 1
        while line > 0, lines[line].trimmingCharacters(in: .whitespaces).isEmpty { line -= 1 }
        return line
    }
}

extension WorkflowTestCase {
    /// The expectations `apex test --update` writes: those the case states, with what the run
    /// did (`output_contains` keeps only the keys it named); `status` and `output` when it
    /// states none.
    func updatedExpectations(_ outcome: CaseRunner.Outcome) -> OrderedDictionary<String, JSONValue> {
        let record = outcome.record
        var out: OrderedDictionary<String, JSONValue> = [:]
        let none = expectRange == nil || (expect.status == nil && expect.output == nil && expect.outputContains == nil && expect.error == nil
            && expect.steps == nil && expect.attempts.isEmpty && expect.calls.isEmpty)
        if expect.status != nil || none { out["status"] = .string(record?.status.rawValue ?? "failed") }
        if expect.error != nil || (none && record?.error != nil) { out["error"] = record?.error.map { .string($0.type) } ?? .null }
        if expect.output != nil || (none && record?.status == .completed) { out["output"] = record?.output ?? .null }
        if let subset = expect.outputContains { out["output_contains"] = Self.restrict(record?.output ?? .null, to: subset) }
        let taken = outcome.steps.filter { $0.status != .skipped }
        if expect.steps != nil { out["steps"] = .array(taken.map { .string($0.key) }) }
        if !expect.attempts.isEmpty {
            let attempts = ExpectationCheck.attemptsByStep(outcome.steps)
            out["attempts"] = .object(OrderedDictionary(uniqueKeysWithValues: expect.attempts.keys.sorted().map { ($0, JSONValue.int(attempts[$0, default: 0])) }))
        }
        if !expect.calls.isEmpty {
            out["calls"] = .object(OrderedDictionary(uniqueKeysWithValues: expect.calls.keys.sorted().map { ($0, JSONValue.int(outcome.calls[$0, default: 0])) }))
        }
        return out
    }

    /// `value` with only the object keys `shape` has, recursively.
    private static func restrict(_ value: JSONValue, to shape: JSONValue) -> JSONValue {
        switch (value, shape) {
        case (.object(let fields), .object(let wanted)):
            var out: OrderedDictionary<String, JSONValue> = [:]
            for (key, part) in wanted { if let field = fields[key] { out[key] = restrict(field, to: part) } }
            return .object(out)
        case (.array(let items), .array(let wanted)) where items.count == wanted.count:
            return .array(zip(items, wanted).map { restrict($0, to: $1) })
        default:
            return value
        }
    }
}
