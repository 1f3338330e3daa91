import Testing

@testable import ApexDSL

@Suite struct SchemaDefaultsTests {
    private func applying(_ schema: String, to value: String) throws -> JSONValue {
        try SchemaFixture.schema(schema).applyingDefaults(to: SchemaFixture.json(value))
    }

    @Test func fillsMissingPropertiesAndKeepsPresentOnes() throws {
        let schema = """
            type: object
            properties:
              ticket: { type: string }
              customer: { type: string, default: anonymous }
              priority: { type: integer, default: 3 }
            """
        #expect(try applying(schema, to: #"{"ticket": "t", "priority": 1}"#) == ["ticket": "t", "priority": 1, "customer": "anonymous"])
        #expect(try applying(schema, to: #"{"customer": null}"#) == ["customer": nil, "priority": 3])
    }

    @Test func turnsAMissingTopLevelObjectIntoTheDefaults() throws {
        #expect(try applying("type: object\nproperties: { a: { default: 1 } }\n", to: "null") == ["a": 1])
        #expect(try applying("properties: { a: { default: 1 } }\n", to: "null") == ["a": 1])
        #expect(try applying("type: object\nrequired: [a]\n", to: "null") == [:])
        #expect(try applying("type: [object, 'null']\nproperties: { a: { default: 1 } }\n", to: "null") == nil)
        #expect(try applying("type: string\ndefault: hello\n", to: "null") == "hello")
        #expect(try applying("type: string\n", to: "null") == nil)
    }

    @Test func fillsNestedObjectsArrayElementsAndAllOf() throws {
        let schema = """
            type: object
            properties:
              options:
                type: object
                default: {}
                properties: { retries: { type: integer, default: 2 }, mode: { default: fast } }
              items:
                type: array
                items: { type: object, properties: { qty: { type: integer, default: 1 } } }
              extra:
                additionalProperties: { properties: { on: { default: true } } }
            allOf:
              - properties: { version: { default: 1 } }
            """
        let filled = try applying(schema, to: #"{"items": [{}, {"qty": 5}], "extra": {"x": {}}}"#)
        #expect(filled == [
            "items": [["qty": 1], ["qty": 5]],
            "extra": ["x": ["on": true]],
            "options": ["retries": 2, "mode": "fast"],
            "version": 1,
        ])
    }

    @Test func leavesDefaultsInAlternativesAlone() throws {
        #expect(try applying("anyOf: [{ properties: { a: { default: 1 } } }]\n", to: "{}") == [:])
    }

    @Test func leavesValuesOfOtherTypesAsTheyAre() throws {
        #expect(try applying("properties: { a: { default: 1 } }\n", to: #""text""#) == "text")
        #expect(try applying("type: array\nitems: { properties: { a: { default: 1 } } }\n", to: "[1, {}]") == [1, ["a": 1]])
    }
}
