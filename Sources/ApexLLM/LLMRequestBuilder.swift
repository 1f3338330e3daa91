import ApexDSL
import ApexEngine

/// Evaluates an llm step's fields into a request. Secrets are added to the roots here, at call
/// time, and never leave the request.
enum LLMRequestBuilder {
    static func build(_ options: LLMOptions, request: ActivityRequest, stepID: String, secrets: Secrets) throws(ExpressionError) -> LLMRequest {
        var roots = request.context.roots
        roots["secrets"] = secrets.root
        let context = EvaluationContext(roots: roots)
        func text(_ value: TemplateValue?) throws(ExpressionError) -> String? {
            guard let value else { return nil }
            let result = try value.evaluate(in: context)
            return result.stringValue ?? result.interpolated
        }
        var messages: [LLMRequest.Message] = []
        if let system = try text(options.system) { messages.append(.init(role: "system", content: system)) }
        if let prompt = try text(options.prompt) { messages.append(.init(role: "user", content: prompt)) }
        for message in options.messages ?? [] {
            messages.append(.init(role: message.role.value, content: try text(message.content) ?? ""))
        }
        let temperature = try options.temperature?.evaluate(in: context).numberValue
        let maxTokens = try options.maxTokens?.evaluate(in: context).numberValue.map { Int($0) }
        let stop = try options.stop?.evaluate(in: context).arrayValue?.compactMap(\.stringValue) ?? []
        return LLMRequest(stepID: stepID, stepKey: request.step, visit: request.visit, attempt: request.attempt, call: request.call, model: try text(options.model),
                          messages: messages, temperature: temperature, maxTokens: maxTokens, stop: stop, schema: options.schema)
    }
}
