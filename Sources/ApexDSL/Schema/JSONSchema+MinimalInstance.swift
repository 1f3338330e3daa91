import Foundation
import OrderedCollections

extension JSONSchema {
    /// The smallest JSON value that satisfies the schema, for the offline mock LLM: `const`, or
    /// the first `enum` value that fits; null when no type is known; `false`; `0` (or the
    /// nearest value inside the bounds); `""` (or `minLength` letters `a`); `[]` (or
    /// `minItems` copies of the elements' minimal value); objects with only their required
    /// properties. A string with a known `format` gets a plausible example (`1970-01-01`).
    ///
    /// Candidates are built from the schema's own keywords and its branches and tested against
    /// the whole schema; the first that conforms is returned. Conformance is not guaranteed
    /// for `pattern` (an example is derived from the expression, which handles the common
    /// constructs but not lookarounds or back-references), nor for schemas that no value
    /// satisfies; the first candidate is returned then.
    public func minimalInstance() -> JSONValue {
        let candidates = minimalCandidates()
        return candidates.first(where: accepts) ?? candidates.first ?? .null
    }

    private func minimalCandidates() -> [JSONValue] {
        if let constValue { return [constValue] }
        if let enumValues { return enumValues }
        let allOfInstances = allOf.map { $0.minimalInstance() }
        let alternatives = (oneOf + anyOf).map { $0.minimalInstance() }
        var candidates: [JSONValue] = []
        let typeChoices: [JSONType?] = types.map { $0.map(Optional.some) } ?? [inferredType]
        for type in typeChoices {
            var base = type.map(minimalValue(of:)) ?? .null
            for instance in allOfInstances { base = Self.merge(base, instance) }
            candidates += alternatives.map { Self.merge(base, $0) }
            candidates.append(base)
        }
        return candidates + allOfInstances + alternatives
    }

    /// The type that the keywords present imply when `type` is absent; nil when they say
    /// nothing (the value is then null, or comes from `anyOf`/`oneOf`/`allOf`).
    private var inferredType: JSONType? {
        if !properties.isEmpty || !required.isEmpty { return .object }
        if case .allowed = additionalProperties {} else { return .object }
        if items != nil || minItems != nil || maxItems != nil { return .array }
        if minLength != nil || maxLength != nil || pattern != nil || format != nil { return .string }
        if [minimum, maximum, exclusiveMinimum, exclusiveMaximum].contains(where: { $0 != nil }) { return .number }
        return nil
    }

    private func minimalValue(of type: JSONType) -> JSONValue {
        switch type {
        case .null: return .null
        case .boolean: return false
        case .integer: return minimalNumber(integral: true)
        case .number: return minimalNumber(integral: false)
        case .string: return minimalString()
        case .array: return .array(Array(repeating: items?.minimalInstance() ?? .null, count: minItems ?? 0))
        case .object:
            var members = OrderedDictionary<String, JSONValue>()
            let requiredNames = Set(required)
            let names = properties.keys.filter(requiredNames.contains) + required.filter { properties[$0] == nil }
            for name in names {
                members[name] = (properties[name] ?? additionalProperties.schema ?? .anything).minimalInstance()
            }
            return .object(members)
        }
    }

    /// 0 when the bounds allow it, else the value nearest to 0 inside them.
    private func minimalNumber(integral: Bool) -> JSONValue {
        func fits(_ x: Double) -> Bool {
            (minimum.map { x >= $0 } ?? true) && (maximum.map { x <= $0 } ?? true)
                && (exclusiveMinimum.map { x > $0 } ?? true) && (exclusiveMaximum.map { x < $0 } ?? true)
        }
        let low = [minimum, exclusiveMinimum].compactMap(\.self).max()
        let high = [maximum, exclusiveMaximum].compactMap(\.self).min()
        var candidates: [Double] = [0]
        if let low { candidates += [low, low.rounded(.up), low.rounded(.down) + 1] }
        if let low, let high { candidates.append((low + high) / 2) }
        if let high { candidates += [high, high.rounded(.down), high.rounded(.up) - 1] }
        let found = candidates.first { fits($0) && (!integral || $0 == $0.rounded()) } ?? 0
        return found == found.rounded() && abs(found) < 1e15 ? .int(Int(found)) : .double(found)
    }

    private func minimalString() -> JSONValue {
        let length = minLength ?? 0
        let padding = String(repeating: "a", count: length)
        var candidates: [String] = []
        if let example = format.flatMap({ Self.formatExamples[$0] }) { candidates.append(example) }
        if let compiledPattern, let example = PatternExample.shortest(matching: compiledPattern.source) {
            let short = max(0, length - example.unicodeScalars.count)
            let fill = String(repeating: "a", count: short)
            let repeats = example.isEmpty ? 1 : (length + example.unicodeScalars.count - 1) / example.unicodeScalars.count
            candidates += [example, String(repeating: example, count: max(1, repeats)), example + fill, fill + example]
        }
        candidates.append(padding)
        let fitting = candidates.first { candidate in
            let count = candidate.unicodeScalars.count
            return count >= length && count <= (maxLength ?? .max) && (compiledPattern?.matches(candidate) ?? true)
        }
        return .string(fitting ?? candidates[0])
    }

    /// Plausible values for common `format`s.
    private static let formatExamples: [String: String] = [
        "date-time": "1970-01-01T00:00:00Z", "date": "1970-01-01", "time": "00:00:00Z",
        "email": "a@example.com", "uri": "https://example.com", "url": "https://example.com",
        "uuid": "00000000-0000-0000-0000-000000000000", "hostname": "example.com",
        "ipv4": "127.0.0.1", "ipv6": "::1", "duration": "PT1S",
    ]

    /// Two minimal values combined: objects merge their members (deeply); otherwise the first
    /// wins, unless it is null (no type known), when the second does.
    static func merge(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        switch (a, b) {
        case (.null, _): return b
        case (.object(var x), .object(let y)):
            for (key, value) in y { x[key] = x[key].map { merge($0, value) } ?? value }
            return .object(x)
        default: return a
        }
    }
}
