import Testing

@testable import ApexDSL

@Suite struct SchemaJSONTests {
    @Test func parsesSchemasThatArriveAsJSON() throws {
        let json = try SchemaFixture.json(#"{"type": "object", "required": ["approved"], "properties": {"approved": {"type": "boolean"}}}"#)
        let schema = try JSONSchema.parse(json: json)
        #expect(schema.validate(["approved": true]).isEmpty)
        #expect(schema.validate([:]).map(\.description) == ["$.approved is required"])
    }

    @Test func throwsEveryProblemLocatedByPointer() throws {
        let json = try SchemaFixture.json(##"{"properties": {"a/b": {"minLength": -1}}, "$ref": "#/x", "type": ["string", null]}"##)
        #expect {
            try JSONSchema.parse(json: json)
        } throws: { error in
            let problems = (error as? SchemaParseError)?.problems ?? []
            return problems.count == 2
                && problems[0].hasPrefix("at /properties/a~1b/minLength: `minLength` must be a non-negative integer")
                && problems[1].hasPrefix("at /$ref: Apex supports a subset of JSON Schema")
        }
        #expect(throws: SchemaParseError.self) { try JSONSchema.parse(json: "string") }
    }

    @Test func rendersBackToTheSameSchema() throws {
        let text = """
            title: T
            type: object
            required: [a]
            additionalProperties: false
            properties:
              a: { type: [string, "null"], minLength: 1, pattern: "^x", enum: [x, xy, null], default: x }
              b: { type: number, minimum: 0.5, exclusiveMaximum: 10 }
              c: { type: array, items: { anyOf: [{ const: 1 }, false] }, maxItems: 3 }
              d: { additionalProperties: { type: integer } }
            """
        let schema = try SchemaFixture.schema(text)
        let again = try JSONSchema.parse(json: schema.jsonValue)
        #expect(again == schema)
        #expect(again.jsonValue == schema.jsonValue)
        #expect(schema.properties["b"]?.jsonValue == ["type": "number", "minimum": 0.5, "exclusiveMaximum": 10])
        #expect(JSONSchema.nothing.jsonValue == false)
        #expect(JSONSchema.anything.jsonValue == [:])
    }

    @Test func comparesByContentNotPosition() throws {
        let a = try SchemaFixture.schema("type: string")
        let b = try SchemaFixture.schema("\n\ntype: string")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != JSONSchema(.integer))
    }
}
