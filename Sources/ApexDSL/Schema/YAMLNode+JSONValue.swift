extension YAMLNode {
    /// A JSON value as a YAML tree, so that schemas arriving as JSON go through the same
    /// parser as those in workflow files. Every node gets `range` (JSON text has none to keep).
    init(json: JSONValue, range: SourceRange = .fileStart) {
        switch json {
        case .null: self.init(.scalar(YAMLScalar(value: "null", style: .plain, resolved: .null)), range: range)
        case .string(let s): self.init(.scalar(YAMLScalar(value: s, style: .doubleQuoted, resolved: json)), range: range)
        case .bool, .int, .double: self.init(.scalar(YAMLScalar(value: json.compactJSON, style: .plain, resolved: json)), range: range)
        case .array(let elements): self.init(.sequence(elements.map { YAMLNode(json: $0, range: range) }), range: range)
        case .object(let members):
            let pairs = members.map { key, value in
                YAMLPair(key: YAMLNode(json: .string(key), range: range), value: YAMLNode(json: value, range: range))
            }
            self.init(.mapping(pairs), range: range)
        }
    }
}
