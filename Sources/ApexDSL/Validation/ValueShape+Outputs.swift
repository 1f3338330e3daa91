import OrderedCollections

/// The fixed records of the language: a step's result, its error, `run`, and the outputs of the
/// step kinds whose output does not depend on other steps (docs/language.md, "Actions").
extension ValueShape {
    /// `steps.<id>`: the result record of a step whose output has this shape.
    static func result(output: ValueShape) -> ValueShape {
        // A copy of the record's fields with the output replaced: its keys are hashed once,
        // not for each of 10,000 steps in each round of ``TypeEnvironment``.
        var fields = resultFields
        fields.values[1] = output
        return .object(fields, closed: true)
    }

    private static let resultFields: OrderedDictionary<String, ValueShape> = [
        "status": statuses, "output": .unknown, "error": error, "attempts": .integer, "started_at": .string, "finished_at": .string,
    ]

    /// Every status a step record may have (ApexEngine's `StepStatus`): `completed`, `failed`
    /// and `skipped` once it has run, the others where a step of a concurrent branch is read.
    static let statuses = ValueShape.values(["scheduled", "running", "completed", "failed", "skipped", "waiting", "cancelled"])

    static let error = ValueShape.object(
        ["type": .string, "message": .string, "step": .string, "attempt": .integer, "details": .unknown], closed: true)

    /// An http step's `headers`: any lower-cased name, each a string (repeated headers joined).
    static let headers = ValueShape.schema(JSONSchema(types: [.object], additionalProperties: .schema(JSONSchema(.string))))

    static let run = ValueShape.object(["id": .string, "name": .string, "started_at": .string], closed: true)

    /// The output of a step by its kind, for the kinds whose output is fixed; nil for `set`,
    /// `parallel`, `foreach` and `workflow`, whose output ``TypeEnvironment`` works out.
    static func fixedOutput(of step: Step) -> ValueShape? {
        switch step.action {
        case .llm(let options):
            return .object([
                "text": .string,
                "data": options.schema.map(ValueShape.schema) ?? .null("llm step \"\(step.id.value)\" has no `schema`, so its data is null"),
                "model": .string, "finish_reason": .string,
                "usage": .object(["input_tokens": .integer, "output_tokens": .integer], closed: true),
            ], closed: true)
        case .http:
            return .object(["status": .integer, "headers": headers, "body": .unknown], closed: true)
        case .wait(let wait):
            return wait.schema.map(ValueShape.schema) ?? .unknown
        case .sleep:
            return .null("a sleep step has no output")
        case .switch:
            return .null("a switch step has no output")
        case .fail:
            return .null("a fail step never completes")
        case .agent(let agent):
            return .object([
                "text": .string,
                "data": agent.llm.schema.map(ValueShape.schema) ?? .null("agent step \"\(step.id.value)\" has no `schema`, so its data is null"),
                "turns": .integer, "tool_calls": .integer,
                "usage": .object(["input_tokens": .integer, "output_tokens": .integer], closed: true),
            ], closed: true)
        case .invalid:
            return .unknown
        case .set, .parallel, .foreach, .workflow:
            return nil
        }
    }
}
