import Foundation
import Testing

@testable import ApexCLI

/// `apex schema`, and the schema it embeds staying in step with `schemas/`.
@Suite struct SchemaCommandTests {
    /// The package root, found from this file's path (Tests/ApexCLITests/<file>).
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let schemaFile = packageRoot.appendingPathComponent("schemas/apex-workflow-v1.schema.json")

    @Test func printsTheEmbeddedSchema() async throws {
        let result = await CommandResult.apex("schema")
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        let expected = WorkflowJSONSchema.text.hasSuffix("\n") ? WorkflowJSONSchema.text : WorkflowJSONSchema.text + "\n"
        #expect(result.output == expected)
    }

    @Test func embedsValidJSONOfADraft202012Schema() throws {
        let object = try JSONSerialization.jsonObject(with: Data(WorkflowJSONSchema.text.utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: schemaFile.path), "schemas/apex-workflow-v1.schema.json does not exist yet"))
    func embeddedSchemaMatchesTheSchemaFileByteForByte() throws {
        let file = try Data(contentsOf: Self.schemaFile)
        #expect(
            Data(WorkflowJSONSchema.text.utf8) == file,
            "Sources/ApexCLI/WorkflowJSONSchema.swift is out of date with schemas/apex-workflow-v1.schema.json: run scripts/embed-editor-schema.sh")
    }
}
