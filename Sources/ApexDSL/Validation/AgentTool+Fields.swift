extension AgentTool {
    /// A field of a tool that may hold expressions.
    struct TemplateField {
        /// How messages name it: the tool's name and the key (`lookup_order.url`, `mcp.env`).
        let name: String
        let value: TemplateValue?
        /// Whether it may read `secrets`: a call's field, resolved when the call is made and
        /// never stored.
        let allowsSecrets: Bool
        /// Whether it may read `args`: it is evaluated for each call of the tool.
        let readsArgs: Bool
    }

    /// The fields that may hold expressions. An `http` tool's are a call's; a `workflow` tool's
    /// `input` becomes a child run's stored input, so it takes no secrets (as a `workflow`
    /// step's); an `mcp` entry's `env` is evaluated when its server starts, before any call,
    /// so it cannot read `args`.
    var templateFields: [TemplateField] {
        let owner = name?.value ?? kindKey
        switch kind {
        case .http(let call):
            return call.templateFields.map { TemplateField(name: "\(owner).\($0.0)", value: $0.1, allowsSecrets: true, readsArgs: true) }
        case .workflow(let call):
            return [TemplateField(name: "\(owner).input", value: call.input, allowsSecrets: false, readsArgs: true)]
        case .mcp(let server):
            return [TemplateField(name: "mcp.env", value: server.env, allowsSecrets: true, readsArgs: false)]
        case .wait:
            return []
        }
    }

    /// What `args` is in the tool's fields: what its `input` schema says, else an open object
    /// that declares nothing (so that a read of `args.x` warns: the model is never told of `x`).
    var argumentShape: ValueShape {
        input.map(ValueShape.schema) ?? .object([:], closed: false)
    }
}

extension HTTPCall {
    /// The fields that may hold expressions, with their keys.
    var templateFields: [(String, TemplateValue?)] {
        [("url", url), ("headers", headers), ("query", query), ("json", json), ("body", body)]
    }
}
