extension SchemaParser {
    /// Checks that keywords which are each well-formed also make sense together: bounds that
    /// leave room for a value, required properties that can exist, and `enum`, `const` and
    /// `default` values that the rest of the schema accepts.
    mutating func checkConsistency(of schema: JSONSchema, draft: SchemaDraft) {
        checkBounds(schema, draft)
        checkRequiredCanExist(schema, draft)
        checkValues(schema, draft)
    }

    private mutating func checkBounds(_ schema: JSONSchema, _ draft: SchemaDraft) {
        func render(_ d: Double) -> String { JSONValue.render(double: d) }
        let numberPairs: [(SchemaKeyword, Double?, SchemaKeyword, Double?, Bool)] = [
            (.minimum, schema.minimum, .maximum, schema.maximum, false),
            (.exclusiveMinimum, schema.exclusiveMinimum, .maximum, schema.maximum, true),
            (.minimum, schema.minimum, .exclusiveMaximum, schema.exclusiveMaximum, true),
            (.exclusiveMinimum, schema.exclusiveMinimum, .exclusiveMaximum, schema.exclusiveMaximum, true),
        ]
        for (low, lowValue, high, highValue, strict) in numberPairs {
            guard let lowValue, let highValue, strict ? lowValue >= highValue : lowValue > highValue else { continue }
            reportEmptyRange(low, render(lowValue), high, render(highValue), draft)
        }
        let countPairs: [(SchemaKeyword, Int?, SchemaKeyword, Int?)] = [
            (.minLength, schema.minLength, .maxLength, schema.maxLength),
            (.minItems, schema.minItems, .maxItems, schema.maxItems),
        ]
        for (low, lowValue, high, highValue) in countPairs {
            guard let lowValue, let highValue, lowValue > highValue else { continue }
            reportEmptyRange(low, String(lowValue), high, String(highValue), draft)
        }
    }

    private mutating func reportEmptyRange(_ low: SchemaKeyword, _ lowText: String, _ high: SchemaKeyword, _ highText: String, _ draft: SchemaDraft) {
        guard let node = draft.nodes[low] else { return }
        let message = "`\(low.rawValue)` (\(lowText)) leaves no room below `\(high.rawValue)` (\(highText)), so no value can match"
        error(.schemaInvalid, message, at: node.range)
    }

    /// A required property of a closed object must be declared, or no object can match.
    private mutating func checkRequiredCanExist(_ schema: JSONSchema, _ draft: SchemaDraft) {
        guard case .forbidden = schema.additionalProperties, let items = draft.nodes[.required]?.items else { return }
        for item in items {
            guard let name = item.scalar?.resolved.stringValue, schema.properties[name] == nil else { continue }
            let message = "`\(name)` is required but not declared in `properties`, and `additionalProperties: false` forbids it, so no object can match"
            error(.schemaInvalid, message, at: item.range)
        }
    }

    private mutating func checkValues(_ schema: JSONSchema, _ draft: SchemaDraft) {
        if let values = schema.enumValues, let items = draft.nodes[.enum]?.items {
            for (value, item) in zip(values, items) {
                let problems = schema.violations(of: value, at: "$", skipping: [.enum, .const])
                guard !problems.isEmpty else { continue }
                error(.schemaInvalid, "the `enum` value \(value.messageText) does not match the rest of the schema: \(Self.text(problems))", at: item.range)
            }
        }
        if let value = schema.constValue, let node = draft.nodes[.const] {
            let problems = schema.violations(of: value, at: "$", skipping: [.const])
            if !problems.isEmpty {
                error(.schemaInvalid, "the `const` value does not match the rest of the schema: \(Self.text(problems))", at: node.range)
            }
        }
        if let value = schema.defaultValue, let node = draft.nodes[.default] {
            let problems = schema.validate(value)
            if !problems.isEmpty {
                error(.schemaInvalid, "the `default` value does not match the schema: \(Self.text(problems))", at: node.range)
            }
        }
    }

    /// Violations of a value written in the schema itself, in one line.
    private static func text(_ problems: [SchemaViolation]) -> String {
        var parts = problems.prefix(3).map { $0.path == "$" ? $0.message : $0.description }
        if problems.count > 3 { parts.append("…") }
        return parts.joined(separator: "; ")
    }
}
