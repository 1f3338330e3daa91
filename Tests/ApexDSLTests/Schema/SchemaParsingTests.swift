import Testing

@testable import ApexDSL

@Suite struct SchemaParsingTests {
    /// Rule, line, column and a fragment of the message of each diagnostic.
    private func problems(_ yaml: String) -> [(RuleID, Int, Int, String)] {
        SchemaFixture.parse(yaml).diagnostics.map { ($0.rule, $0.range.start.line, $0.range.start.column, $0.message) }
    }

    private func expectOne(_ yaml: String, _ rule: RuleID, line: Int, column: Int, containing fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = problems(yaml)
        #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
        guard let (foundRule, foundLine, foundColumn, message) = found.first else { return }
        #expect(foundRule == rule, sourceLocation: sourceLocation)
        #expect(foundLine == line && foundColumn == column, "at \(foundLine):\(foundColumn)", sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func readsEverySupportedKeyword() throws {
        let schema = try SchemaFixture.schema("""
            title: Ticket
            description: A support ticket
            type: object
            required: [ticket]
            additionalProperties: false
            properties:
              ticket: { type: string, minLength: 1, maxLength: 500, pattern: "\\\\S", format: text }
              priority: { type: integer, minimum: 1, maximum: 5, default: 3 }
              score: { type: number, exclusiveMinimum: 0, exclusiveMaximum: 1 }
              tags: { type: array, items: { type: string }, minItems: 0, maxItems: 3 }
              kind: { enum: [bug, billing, other] }
              version: { const: 1 }
              contact: { anyOf: [{ type: string }, { type: "null" }] }
              choice: { oneOf: [{ type: integer }, { type: boolean }] }
              both: { allOf: [{ type: string }, { minLength: 2 }] }
            """)
        #expect(schema.types == [.object])
        #expect(schema.required == ["ticket"])
        #expect(Array(schema.properties.keys) == ["ticket", "priority", "score", "tags", "kind", "version", "contact", "choice", "both"])
        #expect(schema.properties["ticket"]?.pattern == "\\S")
        #expect(schema.properties["priority"]?.defaultValue == 3)
        #expect(schema.properties["score"]?.exclusiveMaximum == 1)
        #expect(schema.properties["tags"]?.items?.types == [.string])
        #expect(schema.properties["kind"]?.enumValues == ["bug", "billing", "other"])
        #expect(schema.properties["contact"]?.anyOf.count == 2)
        #expect(schema.title == "Ticket")
        #expect(schema.range.start == ApexDSL.SourceLocation(line: 1, column: 1))
        guard case .forbidden = schema.additionalProperties else { Issue.record("not closed"); return }
    }

    @Test func acceptsBooleanSchemasAndNullAsATypeName() throws {
        let schema = try SchemaFixture.schema("properties: { any: true, none: false }\nadditionalProperties: { type: [string, null] }\n")
        #expect(schema.properties["any"]?.types == nil)
        #expect(schema.properties["none"]?.acceptsNothing == true)
        guard case .schema(let extra) = schema.additionalProperties else { Issue.record("no schema"); return }
        #expect(extra.types == [.string, .null])
    }

    @Test func reportsAMisspeltKeywordWithASuggestion() {
        expectOne("type: string\nminLenght: 3\n", .schemaKeyword, line: 2, column: 1, containing: "`minLenght` is not in it; did you mean \"minLength\"?")
        expectOne("type: string\nminLenght: 3\n", .schemaKeyword, line: 2, column: 1, containing: "Apex supports a subset of JSON Schema (see docs)")
    }

    @Test func rejectsKeywordsOutsideTheSubset() {
        expectOne("properties:\n  a: { $ref: '#/x' }\n", .schemaKeyword, line: 2, column: 8, containing: "`$ref` is not in it: write the schema inline")
        expectOne("type: array\nuniqueItems: true\n", .schemaKeyword, line: 2, column: 1, containing: "`uniqueItems` is not in it")
        expectOne("$schema: https://json-schema.org/draft/2020-12/schema\n", .schemaKeyword, line: 1, column: 1, containing: "`$schema`")
        expectOne("patternProperties: {}\n", .schemaKeyword, line: 1, column: 1, containing: "additionalProperties")
        expectOne("type: object\nminProperties: 1\n", .schemaKeyword, line: 2, column: 1, containing: "`minProperties`")
        expectOne("if: { type: string }\n", .schemaKeyword, line: 1, column: 1, containing: "`if`")
        expectOne("type: string\nnullable: true\n", .schemaKeyword, line: 2, column: 1, containing: "type: [string, \"null\"]")
    }

    @Test func reportsEveryProblemInOnePass() {
        let found = problems("type: object\nif: {}\nthen: {}\nproperties:\n  a: { maxItems: -1, uniqueItems: true }\n")
        #expect(found.map(\.0) == [.schemaKeyword, .schemaKeyword, .schemaInvalid, .schemaKeyword])
        #expect(found.map { "\($0.1):\($0.2)" } == ["2:1", "3:1", "5:18", "5:22"])
    }

    @Test func reportsUnknownTypeNames() {
        expectOne("type: strng\n", .schemaInvalid, line: 1, column: 7, containing: "unknown type `strng`; the types are null, boolean, integer, number, string, array, object; did you mean \"string\"?")
        expectOne("type: [string, int]\n", .schemaInvalid, line: 1, column: 16, containing: "did you mean \"integer\"?")
        expectOne("type: [string, string]\n", .schemaInvalid, line: 1, column: 16, containing: "listed twice")
        expectOne("type: []\n", .schemaInvalid, line: 1, column: 7, containing: "at least one type")
        expectOne("type: { a: 1 }\n", .schemaInvalid, line: 1, column: 7, containing: "not a mapping")
        expectOne("type:\n", .schemaInvalid, line: 1, column: 6, containing: "a type name must be a string (null, boolean, integer, number, string, array, object), not null")
    }

    @Test func reportsKeywordsOfTheWrongKind() {
        expectOne("required: ticket\n", .schemaInvalid, line: 1, column: 11, containing: "must be a list of property names")
        expectOne("required: [ticket, 3]\n", .schemaInvalid, line: 1, column: 20, containing: "quote it")
        expectOne("required: [a, a]\n", .schemaInvalid, line: 1, column: 15, containing: "`a` is listed twice")
        expectOne("properties:\n  a: { required: true }\n", .schemaInvalid, line: 2, column: 18, containing: "it belongs on the object")
        expectOne("minLength: -1\n", .schemaInvalid, line: 1, column: 12, containing: "must be a non-negative integer, not -1")
        expectOne("maxItems: 2.5\n", .schemaInvalid, line: 1, column: 11, containing: "non-negative integer, not 2.5")
        expectOne("minimum: ten\n", .schemaInvalid, line: 1, column: 10, containing: "must be a finite number, not a string")
        expectOne("maximum: .inf\n", .schemaInvalid, line: 1, column: 10, containing: "infinite")
        expectOne("minimum: 0\nexclusiveMinimum: true\n", .schemaInvalid, line: 2, column: 19, containing: "write `exclusiveMinimum: 5`")
        expectOne("properties: [a, b]\n", .schemaInvalid, line: 1, column: 13, containing: "`properties` must be a mapping")
        expectOne("additionalProperties: nope\n", .schemaInvalid, line: 1, column: 23, containing: "true, false or a schema")
        expectOne("items: [{ type: string }]\n", .schemaInvalid, line: 1, column: 8, containing: "tuple")
        expectOne("enum: []\n", .schemaInvalid, line: 1, column: 7, containing: "non-empty list")
        expectOne("anyOf: { type: string }\n", .schemaInvalid, line: 1, column: 8, containing: "`anyOf` must be a non-empty list of schemas")
        expectOne("description: [a]\n", .schemaInvalid, line: 1, column: 14, containing: "must be text")
        expectOne("pattern: 12\n", .schemaInvalid, line: 1, column: 10, containing: "regular expression in a string")
    }

    @Test func reportsAPatternThatDoesNotCompile() {
        expectOne("type: string\npattern: '[a-z'\n", .schemaInvalid, line: 2, column: 10, containing: "`pattern` is not a valid regular expression: [a-z")
        expectOne("pattern: '(?<'\n", .schemaInvalid, line: 1, column: 10, containing: "not a valid regular expression")
    }

    @Test func reportsBoundsThatLeaveNoRoom() {
        expectOne("minimum: 5\nmaximum: 3\n", .schemaInvalid, line: 1, column: 10, containing: "`minimum` (5) leaves no room below `maximum` (3)")
        expectOne("exclusiveMinimum: 3\nmaximum: 3\n", .schemaInvalid, line: 1, column: 19, containing: "no value can match")
        expectOne("minLength: 4\nmaxLength: 2\n", .schemaInvalid, line: 1, column: 12, containing: "`minLength` (4)")
        expectOne("minItems: 2\nmaxItems: 1\n", .schemaInvalid, line: 1, column: 11, containing: "`minItems` (2)")
        #expect(problems("minimum: 3\nmaximum: 3\n").isEmpty)
    }

    @Test func reportsARequiredPropertyThatAClosedObjectCannotHave() {
        expectOne("required: [a, b]\nproperties: { a: {} }\nadditionalProperties: false\n", .schemaInvalid, line: 1, column: 15, containing: "`b` is required but not declared")
    }

    @Test func reportsValuesThatFailTheRestOfTheSchema() {
        expectOne("type: string\ndefault: 3\n", .schemaInvalid, line: 2, column: 10, containing: "the `default` value does not match the schema: must be a string, not a number")
        expectOne("type: object\nrequired: [a]\ndefault: {}\n", .schemaInvalid, line: 3, column: 10, containing: "$.a is required")
        expectOne("type: string\nenum: [a, 2, b]\n", .schemaInvalid, line: 2, column: 11, containing: "the `enum` value 2 does not match")
        expectOne("maxLength: 1\nconst: abc\n", .schemaInvalid, line: 2, column: 8, containing: "the `const` value does not match")
        expectOne("enum: [a, b]\nconst: c\n", .schemaInvalid, line: 2, column: 8, containing: "must be one of: a, b")
        #expect(problems("type: integer\nenum: [1, 2.0]\ndefault: 2\n").isEmpty)
    }

    @Test func reportsASchemaThatIsNotAMappingAsATypeMismatch() {
        expectOne("[a, b]\n", .typeMismatch, line: 1, column: 1, containing: "a schema must be a mapping (or true or false), not a list")
        expectOne("properties:\n  name: string\n", .typeMismatch, line: 2, column: 9, containing: "did you mean `{ type: string }`?")
        expectOne("items: 3\n", .typeMismatch, line: 1, column: 8, containing: "not a number")
        expectOne("properties:\n  a:\n  b: {}\n", .typeMismatch, line: 2, column: 5, containing: "not null; write `{}` to allow any value")
        let (schema, _) = SchemaFixture.parse("string\n")
        #expect(schema == nil)
    }

    @Test func keepsABrokenPropertyDeclared() {
        let (schema, diagnostics) = SchemaFixture.parse("properties:\n  a: 3\n  b: { type: strin }\n")
        #expect(diagnostics.map(\.rule) == [.typeMismatch, .schemaInvalid])
        #expect(schema?.properties.keys.elements == ["a", "b"])
    }
}
