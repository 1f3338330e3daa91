import Testing

@testable import ApexDSL

@Suite struct SchemaMinimalInstanceTests {
    /// Schemas without `pattern`: the minimal instance of each must conform.
    static let corpus: [String] = [
        "{}", "true", "{type: 'null'}", "{type: boolean}", "{type: integer}", "{type: number}", "{type: string}",
        "{type: array}", "{type: object}", "{type: [string, 'null']}", "{type: ['null', string]}",
        "{type: integer, minimum: 3}", "{type: integer, minimum: 2.5}", "{type: integer, exclusiveMinimum: 3}",
        "{type: integer, maximum: -4}", "{type: integer, exclusiveMaximum: -4.5}", "{type: number, minimum: 0.5}",
        "{type: number, exclusiveMinimum: 0, exclusiveMaximum: 0.5}", "{type: number, minimum: -10, maximum: -9.5}",
        "{minimum: 7}", "{type: string, minLength: 4}", "{type: string, minLength: 2, maxLength: 2}",
        "{type: string, format: date-time}", "{type: string, format: email, maxLength: 3}", "{format: uuid}",
        "{enum: [bug, billing, other]}", "{enum: [b, 3]}", "{const: {a: [1, 2]}}",
        "{type: array, minItems: 2, items: {type: integer, minimum: 1}}", "{type: array, maxItems: 0}",
        "{type: object, required: [a, b], properties: {b: {type: string, minLength: 1}, a: {type: boolean}, c: {}}}",
        "{required: [x], additionalProperties: {type: integer, minimum: 2}}",
        "{type: object, required: [kind], properties: {kind: {enum: [draft, final]}}, additionalProperties: false}",
        "{anyOf: [{type: string, minLength: 1}, {type: integer}]}", "{anyOf: [{type: 'null'}, {type: string}]}",
        "{oneOf: [{type: integer, maximum: -1}, {type: string}]}", "{oneOf: [{type: number, maximum: -1}, {type: integer, minimum: 0}]}",
        "{allOf: [{type: string}, {minLength: 3}]}", "{allOf: [{required: [a]}, {required: [b], properties: {b: {type: integer}}}]}",
        "{type: object, required: [n], properties: {n: {type: integer}}, anyOf: [{required: [a]}, {required: [b]}]}",
        "{type: object, required: [items], properties: {items: {type: array, minItems: 1, items: {type: object, required: [name, tags], properties: {name: {type: string, minLength: 2}, tags: {type: array, minItems: 1, items: {enum: [x]}}}}}}}",
        "{type: object, required: [approved], properties: {approved: {type: boolean}}}",
    ]

    @Test(arguments: corpus)
    func conformsToItsSchema(_ text: String) throws {
        let schema = try SchemaFixture.schema(text)
        let instance = schema.minimalInstance()
        #expect(schema.validate(instance).isEmpty, "\(instance.compactJSON): \(schema.validate(instance))")
    }

    @Test func isTheSmallestValueOfEachKind() throws {
        func minimal(_ text: String) throws -> JSONValue { try SchemaFixture.schema(text).minimalInstance() }
        #expect(try minimal("{}") == nil)
        #expect(try minimal("{type: boolean}") == false)
        #expect(try minimal("{type: integer}") == 0)
        #expect(try minimal("{type: number, minimum: 0.5}") == 0.5)
        #expect(try minimal("{type: integer, exclusiveMinimum: 3}") == 4)
        #expect(try minimal("{type: string, minLength: 3}") == "aaa")
        #expect(try minimal("{enum: [bug, billing]}") == "bug")
        #expect(try minimal("{type: array, minItems: 2, items: {type: integer, minimum: 1}}") == [1, 1])
        #expect(try minimal("{type: object, required: [b, a], properties: {a: {type: string}, b: {type: integer}, c: {}}}") == ["a": "", "b": 0])
        #expect(try minimal("{type: string, format: date}") == "1970-01-01")
    }

    @Test(arguments: [
        "^[a-z]+$", "^\\d{3}-\\d{4}$", "^(bug|billing|other)$", "^[A-Z][a-z]*( [A-Z][a-z]*)*$", "\\S",
        "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", "^v[0-9]+\\.[0-9]+(\\.[0-9]+)?$", "^(?:ab|c)+x?$", "^#[0-9a-fA-F]{6}$",
    ])
    func findsAStringForCommonPatterns(_ pattern: String) throws {
        let schema = JSONSchema(types: [.string], minLength: 2, pattern: pattern)
        let instance = schema.minimalInstance()
        #expect(schema.validate(instance).isEmpty, "\(instance.compactJSON)")
    }

    @Test func givesUpOnPatternsItCannotReadWithoutFailing() {
        let schema = JSONSchema(types: [.string], pattern: "^(?=.*\\d)(?=.*[A-Z]).{8,}$")
        #expect(schema.minimalInstance().stringValue != nil)
    }
}
