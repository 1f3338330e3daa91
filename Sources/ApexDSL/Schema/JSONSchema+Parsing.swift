import Foundation

extension JSONSchema {
    /// Reads a schema from YAML, reporting every unsupported keyword (`schema-keyword`, with a
    /// did-you-mean among the supported ones) and every keyword of the wrong kind
    /// (`schema-invalid`): unknown type names, `required` that is not a list of strings,
    /// negative lengths, a `pattern` that does not compile, bounds that leave no room, a
    /// `default`, `enum` or `const` value that fails the rest of the schema, and so on.
    ///
    /// The booleans `true` and `false` are schemas too. Returns nil only when the node is
    /// neither a mapping nor a boolean, which is reported as `type-mismatch`. Problems inside a
    /// mapping are reported and the keyword left out, so a schema is still returned.
    public static func parse(_ node: YAMLNode, diagnostics: inout DiagnosticBag) -> JSONSchema? {
        var parser = SchemaParser(diagnostics: diagnostics)
        let schema = parser.schema(node)
        diagnostics = parser.diagnostics
        return schema
    }

    /// Builds a schema from a JSON value, for schemas that arrive at run time. Every problem
    /// ``parse(_:diagnostics:)`` would report is collected into one thrown error.
    public static func parse(json: JSONValue) throws(SchemaParseError) -> JSONSchema {
        var parser = SchemaParser(diagnostics: DiagnosticBag(file: "<schema>"), locatesByPointer: true)
        let schema = parser.schema(YAMLNode(json: json))
        let problems = parser.diagnostics.diagnostics.map(\.message)
        guard let schema, problems.isEmpty else { throw SchemaParseError(problems: problems) }
        return schema
    }
}

/// The problems of a schema that arrived as JSON, each message starting with the JSON pointer
/// of the keyword: `at /properties/age/minimum: ...`.
public struct SchemaParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One message per problem.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    /// Every problem in one line.
    public var description: String {
        "the schema is not valid: " + problems.joined(separator: "; ")
    }
}

extension SchemaParseError: LocalizedError {
    public var errorDescription: String? { description }
}
