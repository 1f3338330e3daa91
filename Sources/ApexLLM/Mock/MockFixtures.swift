import ApexDSL
import Foundation

/// Scripted replies for the mock provider (`apex run --llm-fixtures FILE`): a YAML mapping from
/// step id to a reply or a list of replies, the k-th visit of the step taking the k-th reply
/// (the last one repeats).
///
/// A reply is a string (the text), or a mapping with any of:
/// - `text`: the reply text; `data`: a value whose compact JSON is the text (for `schema` steps);
/// - `error` (a dsl-v1 §4.2 type such as `llm.rate_limited`), `message`, `retry_after` (a duration),
///   and `fail_attempts: N`: the first N attempts of the visit fail with that error, the next
///   succeeds with `text`/`data` (without `fail_attempts`, every attempt fails);
/// - `delay`: a duration the call takes before it answers (to test slow calls and crashes).
public struct MockFixtures: Sendable {
    public struct Reply: Sendable, Hashable {
        public var text: String?
        public var error: LLMError?
        public var failAttempts: Int?
        public var delay: Duration?
    }

    private let replies: [String: [Reply]]

    public init(replies: [String: [Reply]]) {
        self.replies = replies
    }

    /// Reads a fixtures file; throws a message naming the problem.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw FixtureError("cannot read \(path)") }
        let loaded = WorkflowSourceLoader.load(data: data, path: path)
        guard let root = loaded.root, case .object(let steps) = root.jsonValue else {
            throw FixtureError("\(path) must be a YAML mapping from step id to replies\(loaded.diagnostics.diagnostics.first.map { ": \($0.message)" } ?? "")")
        }
        var replies: [String: [Reply]] = [:]
        for (step, value) in steps {
            let list = value.arrayValue ?? [value]
            replies[step] = try list.map { try Self.reply($0, step: step, path: path) }
        }
        self.init(replies: replies)
    }

    /// The reply for a visit of a step, nil when none is scripted.
    public func reply(step: String, visit: Int) -> Reply? {
        guard let list = replies[step], !list.isEmpty else { return nil }
        return list[min(visit, list.count) - 1]
    }

    private static func reply(_ value: JSONValue, step: String, path: String) throws -> Reply {
        if let text = value.stringValue { return Reply(text: text) }
        guard case .object(let fields) = value else { throw FixtureError("\(path): the reply of \(step) must be a string or a mapping") }
        var reply = Reply(text: fields["text"]?.stringValue ?? fields["data"].map(\.compactJSON))
        if let delay = fields["delay"]?.stringValue {
            do { reply.delay = try Duration.parse(delay) } catch { throw FixtureError("\(path): delay of \(step) is not a duration") }
        }
        if let type = fields["error"]?.stringValue {
            let retryAfter = try fields["retry_after"]?.stringValue.map { text throws -> Duration in
                do { return try Duration.parse(text) } catch { throw FixtureError("\(path): retry_after of \(step) is not a duration") }
            }
            reply.error = LLMError(type: type, message: fields["message"]?.stringValue ?? "scripted \(type)", retryAfter: retryAfter)
            if case .int(let count)? = fields["fail_attempts"] { reply.failAttempts = count }
        }
        return reply
    }
}

public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
