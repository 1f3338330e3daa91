extension SchemaParser {
    /// `type:` as one name or a list of names.
    mutating func types(_ node: YAMLNode) -> [JSONType]? {
        let allNames = JSONType.allCases.map(\.rawValue).joined(separator: ", ")
        let nodes: [YAMLNode]
        if let items = node.items {
            guard !items.isEmpty else {
                error(.schemaInvalid, "`type` must name at least one type (\(allNames))", at: node.range)
                return nil
            }
            nodes = items
        } else if node.scalar != nil {
            nodes = [node]
        } else {
            error(.schemaInvalid, "`type` must be a type name or a list of them (\(allNames)), not \(node.kindDescription)", at: node.range)
            return nil
        }
        var types: [JSONType] = []
        for item in nodes {
            guard let type = type(item, allNames: allNames) else { continue }
            guard !types.contains(type) else {
                error(.schemaInvalid, "`\(type.rawValue)` is listed twice in `type`", at: item.range)
                continue
            }
            types.append(type)
        }
        return types.isEmpty ? nil : types
    }

    private mutating func type(_ node: YAMLNode, allNames: String) -> JSONType? {
        guard let scalar = node.scalar, !scalar.resolved.isNull || scalar.value.lowercased() == "null" else {
            error(.schemaInvalid, "a type name must be a string (\(allNames)), not \(node.kindDescription)", at: node.range)
            return nil
        }
        // A plain `null` is YAML's null, but in `type: [string, null]` it means the type.
        if let type = JSONType(rawValue: scalar.value), scalar.resolved.stringValue != nil || type == .null {
            return type
        }
        var message = "unknown type `\(scalar.value)`; the types are \(allNames)"
        if let alias = JSONType.aliases[scalar.value.lowercased()] {
            message += "; did you mean \"\(alias.rawValue)\"?"
        } else {
            message += Suggestion.didYouMean(scalar.value, in: JSONType.allCases.map(\.rawValue))
        }
        error(.schemaInvalid, message, at: node.range)
        return nil
    }

    /// A finite number, for `minimum` and the other bounds.
    mutating func number(_ node: YAMLNode, _ keyword: SchemaKeyword) -> Double? {
        switch node.scalar?.resolved {
        case .int(let value)?:
            return Double(value)
        case .double(let value)? where value.isFinite:
            return value
        case .bool? where keyword == .exclusiveMinimum || keyword == .exclusiveMaximum:
            let bound = keyword == .exclusiveMinimum ? "exclusiveMinimum" : "exclusiveMaximum"
            let inclusive = keyword == .exclusiveMinimum ? "minimum" : "maximum"
            error(.schemaInvalid, "`\(bound)` is the bound itself here, as in current JSON Schema: write `\(bound): 5` in place of `\(inclusive): 5` with `\(bound): true`", at: node.range)
            return nil
        default:
            let what = node.scalar?.resolved.numberValue != nil ? "an infinite or NaN number" : node.kindDescription
            error(.schemaInvalid, "`\(keyword.rawValue)` must be a finite number, not \(what)", at: node.range)
            return nil
        }
    }

    /// A non-negative integer, for `minLength` and the other counts. `2.0` counts as 2.
    mutating func count(_ node: YAMLNode, _ keyword: SchemaKeyword) -> Int? {
        let value: Int?
        switch node.scalar?.resolved {
        case .int(let int)?: value = int
        case .double(let double)? where double.isFinite && double == double.rounded() && abs(double) < 1e15: value = Int(double)
        default: value = nil
        }
        guard let value, value >= 0 else {
            let what = node.scalar.flatMap { $0.resolved.numberValue != nil ? $0.value : nil } ?? node.kindDescription
            error(.schemaInvalid, "`\(keyword.rawValue)` must be a non-negative integer, not \(what)", at: node.range)
            return nil
        }
        return value
    }

    /// A regular expression that compiles.
    mutating func pattern(_ node: YAMLNode) -> String? {
        guard case .string(let source)? = node.scalar?.resolved else {
            error(.schemaInvalid, "`pattern` must be a regular expression in a string, not \(node.kindDescription)", at: node.range)
            return nil
        }
        guard SchemaPattern(source).isValid else {
            error(.schemaInvalid, "`pattern` is not a valid regular expression: \(source)", at: node.range)
            return nil
        }
        return source
    }
}
