import OrderedCollections

extension YAMLNode {
    /// The node as a JSON value: scalars typed by the YAML 1.2 core schema, mappings as objects
    /// (non-string keys use their text). The tree is depth-bounded by the composer.
    public var jsonValue: JSONValue {
        switch kind {
        case .scalar(let scalar):
            return scalar.resolved
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            var object = OrderedDictionary<String, JSONValue>()
            for pair in pairs { object[pair.name ?? pair.key.jsonValue.compactJSON] = pair.value.jsonValue }
            return .object(object)
        }
    }
}
