import OrderedCollections

/// What validation knows statically about the value an expression reads: enough to tell a
/// property that cannot exist from one that may.
indirect enum ValueShape: Sendable {
    case unknown
    /// Always null, with the reason (`the llm step has no schema`).
    case null(String)
    /// A string, a number, …: no properties.
    case scalar(String)
    /// An object with known fields, in the order written; `closed` when no other field can exist.
    case object(OrderedDictionary<String, ValueShape>, closed: Bool)
    case list(ValueShape)
    case schema(JSONSchema)

    static let string = ValueShape.scalar("a string")
    static let integer = ValueShape.scalar("an integer")

    /// `steps.<id>`: the result record of a step.
    static func result(of step: Step) -> ValueShape {
        .object([
            "status": .string, "output": output(of: step), "error": error, "attempts": .integer,
            "started_at": .string, "finished_at": .string,
        ], closed: true)
    }

    static let error = ValueShape.object(
        ["type": .string, "message": .string, "step": .string, "attempt": .integer, "details": .unknown], closed: true)

    static let run = ValueShape.object(["id": .string, "name": .string, "started_at": .string], closed: true)

    /// The output of a step, by its kind (docs/language.md, "Actions").
    static func output(of step: Step) -> ValueShape {
        switch step.action {
        case .llm(let options):
            return .object([
                "text": .string,
                "data": options.schema.map(ValueShape.schema) ?? .null("llm step \"\(step.id.value)\" has no `schema`, so its data is null"),
                "model": .string, "finish_reason": .string,
                "usage": .object(["input_tokens": .integer, "output_tokens": .integer], closed: true),
            ], closed: true)
        case .http:
            return .object(["status": .integer, "headers": .object([:], closed: false), "body": .unknown], closed: true)
        case .wait(let wait):
            return wait.schema.map(ValueShape.schema) ?? .unknown
        case .set(let assignments):
            return .object(OrderedDictionary(assignments.map { ($0.name.value, ValueShape.unknown) }, uniquingKeysWith: { a, _ in a }), closed: true)
        case .sleep:
            return .null("a sleep step has no output")
        case .switch:
            return .null("a switch step has no output")
        case .fail:
            return .null("a fail step never completes")
        case .parallel(let parallel):
            return .object(OrderedDictionary(parallel.branches.map { ($0.name.value, lastOutput(of: $0.steps)) }, uniquingKeysWith: { a, _ in a }), closed: true)
        case .foreach(let foreach):
            return .list(lastOutput(of: foreach.steps))
        case .agent(let agent):
            return .object([
                "text": .string,
                "data": agent.llm.schema.map(ValueShape.schema) ?? .null("agent step \"\(step.id.value)\" has no `schema`, so its data is null"),
                "turns": .integer, "tool_calls": .integer,
                "usage": .object(["input_tokens": .integer, "output_tokens": .integer], closed: true),
            ], closed: true)
        case .workflow, .invalid:
            return .unknown
        }
    }

    private static func lastOutput(of steps: [Step]) -> ValueShape {
        steps.last.map(output(of:)) ?? .unknown
    }
}
