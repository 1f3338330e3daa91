import Foundation
import Testing

@testable import ApexDSL

/// Reads schemas from YAML text the way workflow parsing does, for the schema tests.
enum SchemaFixture {
    /// The schema in `yaml` and every diagnostic its loading and parsing report.
    static func parse(_ yaml: String) -> (schema: JSONSchema?, diagnostics: [Diagnostic]) {
        let loaded = WorkflowSourceLoader.load(data: Data(yaml.utf8), path: "schema.yaml")
        var diagnostics = loaded.diagnostics
        guard let root = loaded.root else { return (nil, diagnostics.diagnostics) }
        let schema = JSONSchema.parse(root, diagnostics: &diagnostics)
        return (schema, diagnostics.sorted)
    }

    /// The schema in `yaml`, which must parse without diagnostics.
    static func schema(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> JSONSchema {
        let (schema, diagnostics) = parse(yaml)
        #expect(diagnostics.isEmpty, "unexpected: \(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        return try #require(schema, sourceLocation: sourceLocation)
    }

    /// A JSON value from its text.
    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }
}
