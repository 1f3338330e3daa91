import OrderedCollections

extension JSONSchema {
    /// Keywords that a check leaves out: the consistency checks of a schema test `enum` values
    /// against the rest of the schema, and `const` against all but itself.
    struct SkippedKeywords: OptionSet {
        let rawValue: Int
        static let `enum` = SkippedKeywords(rawValue: 1)
        static let const = SkippedKeywords(rawValue: 2)
    }

    /// Checks a value; the result is empty when it conforms. Each violation has a JSON path
    /// (`$.ticket`, `$.items[2].name`) and a message ("is required", "must be a string, not a
    /// number", "must be one of: bug, billing, other").
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        violations(of: value, at: "$")
    }

    /// The first three violations of `value`, joined for a message; nil when it matches.
    public func mismatch(_ value: JSONValue) -> String? {
        let violations = validate(value)
        return violations.isEmpty ? nil : violations.prefix(3).map(\.description).joined(separator: "; ")
    }

    /// Whether a value conforms.
    public func accepts(_ value: JSONValue) -> Bool {
        validate(value).isEmpty
    }

    func violations(of value: JSONValue, at path: String, skipping: SkippedKeywords = []) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, at: path, skipping: skipping, into: &violations)
        return violations
    }

    /// Checks the value against every keyword. A value of the wrong type gets that one message.
    func check(_ value: JSONValue, at path: String, skipping: SkippedKeywords = [], into violations: inout [SchemaViolation]) {
        func fail(_ message: String) { violations.append(SchemaViolation(path: path, message: message)) }
        if acceptsNothing { return fail("is not allowed") }
        if let types, !types.contains(where: { $0.admits(value) }) {
            return fail("must be \(JSONType.phrase(types)), not \(JSONType.phrase(of: value, expecting: types))")
        }
        if !skipping.contains(.enum), let enumValues, !enumValues.contains(where: { $0.equalsDeeply(value) }) {
            fail("must be one of: \(JSONValue.messageList(enumValues)) (got \(value.messageText))")
        }
        if !skipping.contains(.const), let constValue, !constValue.equalsDeeply(value) {
            fail("must be \(constValue.messageText), not \(value.messageText)")
        }
        switch value {
        case .int, .double: checkNumber(value, fail)
        case .string(let string): checkString(string, fail)
        case .array(let elements): checkArray(elements, at: path, into: &violations)
        case .object(let members): checkObject(members, at: path, into: &violations)
        case .null, .bool: break
        }
        checkComposition(value, at: path, into: &violations)
    }

    private func checkNumber(_ value: JSONValue, _ fail: (String) -> Void) {
        guard let number = value.numberValue else { return }
        let got = value.messageText
        if let minimum, number < minimum { fail("must be at least \(JSONValue.render(double: minimum)), not \(got)") }
        if let maximum, number > maximum { fail("must be at most \(JSONValue.render(double: maximum)), not \(got)") }
        if let exclusiveMinimum, number <= exclusiveMinimum { fail("must be greater than \(JSONValue.render(double: exclusiveMinimum)), not \(got)") }
        if let exclusiveMaximum, number >= exclusiveMaximum { fail("must be less than \(JSONValue.render(double: exclusiveMaximum)), not \(got)") }
    }

    private func checkString(_ string: String, _ fail: (String) -> Void) {
        let length = string.unicodeScalars.count
        if let minLength, length < minLength {
            fail(length == 0 && minLength == 1 ? "must not be empty" : "must be at least \(Self.characters(minLength)) long, not \(length)")
        }
        if let maxLength, length > maxLength { fail("must be at most \(Self.characters(maxLength)) long, not \(length)") }
        if let compiledPattern, !compiledPattern.matches(string) { fail("must match the pattern \(compiledPattern.source)") }
    }

    private func checkArray(_ elements: [JSONValue], at path: String, into violations: inout [SchemaViolation]) {
        if let minItems, elements.count < minItems {
            violations.append(SchemaViolation(path: path, message: "must have at least \(Self.items(minItems)), not \(elements.count)"))
        }
        if let maxItems, elements.count > maxItems {
            violations.append(SchemaViolation(path: path, message: "must have at most \(Self.items(maxItems)), not \(elements.count)"))
        }
        guard let items else { return }
        for (index, element) in elements.enumerated() {
            items.check(element, at: SchemaViolation.path(path, appending: index), into: &violations)
        }
    }

    private func checkObject(_ members: OrderedDictionary<String, JSONValue>, at path: String, into violations: inout [SchemaViolation]) {
        for name in required where members[name] == nil {
            violations.append(SchemaViolation(path: SchemaViolation.path(path, appending: name), message: "is required"))
        }
        for (name, member) in members {
            let memberPath = SchemaViolation.path(path, appending: name)
            if let property = properties[name] {
                property.check(member, at: memberPath, into: &violations)
                continue
            }
            switch additionalProperties {
            case .allowed: break
            case .schema(let schema): schema.check(member, at: memberPath, into: &violations)
            case .forbidden:
                let allowed = properties.isEmpty ? "the object may have no properties" : "the properties are \(properties.keys.joined(separator: ", "))"
                violations.append(SchemaViolation(path: memberPath, message: "is not allowed; \(allowed)"))
            }
        }
    }

    private static func characters(_ count: Int) -> String { count == 1 ? "1 character" : "\(count) characters" }
    private static func items(_ count: Int) -> String { count == 1 ? "1 item" : "\(count) items" }
}
