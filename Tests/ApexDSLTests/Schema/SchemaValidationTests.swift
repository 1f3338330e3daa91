import Testing

@testable import ApexDSL

/// One value checked against one schema, and the violations expected (`path message`).
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var schema: String
    var value: String
    var expected: [String]

    init(_ schema: String, _ value: String, _ expected: String...) {
        self.schema = schema
        self.value = value
        self.expected = expected
    }

    var testDescription: String { "\(value) against \(schema)" }
}

@Suite struct SchemaValidationTests {
    static let types: [ValidationCase] = [
        .init("{type: string}", #""a""#),
        .init("{type: string}", "3", "$ must be a string, not a number"),
        .init("{type: string}", "null", "$ must be a string, not null"),
        .init("{type: integer}", "3"),
        .init("{type: integer}", "3.0"),
        .init("{type: integer}", "3.5", "$ must be an integer, not 3.5"),
        .init("{type: integer}", "true", "$ must be an integer, not a boolean"),
        .init("{type: number}", "3"),
        .init("{type: number}", "-0.25"),
        .init("{type: number}", #""3""#, "$ must be a number, not a string"),
        .init("{type: boolean}", "false"),
        .init("{type: boolean}", "0", "$ must be a boolean, not a number"),
        .init("{type: 'null'}", "null"),
        .init("{type: array}", "{}", "$ must be an array, not an object"),
        .init("{type: object}", "[]", "$ must be an object, not an array"),
        .init("{type: [string, null]}", "null"),
        .init("{type: [string, integer, null]}", "[1]", "$ must be a string, an integer or null, not an array"),
        .init("{}", #"{"any": [1, "thing"]}"#),
        .init("true", "12"),
        .init("false", "12", "$ is not allowed"),
    ]

    static let scalars: [ValidationCase] = [
        .init("{enum: [bug, billing, other]}", #""billing""#),
        .init("{enum: [bug, billing, other]}", #""feature""#, #"$ must be one of: bug, billing, other (got "feature")"#),
        .init("{enum: [1, '1', null]}", "1.0"),
        .init("{enum: [1, '1', null]}", "2", #"$ must be one of: 1, "1", null (got 2)"#),
        .init("{enum: [{a: 1, b: 2}]}", #"{"b": 2.0, "a": 1}"#),
        .init("{const: approved}", #""approved""#),
        .init("{const: approved}", #""rejected""#, #"$ must be "approved", not "rejected""#),
        .init("{const: [1, 2]}", "[1, 2.0]"),
        .init("{minimum: 1, maximum: 5}", "1"),
        .init("{minimum: 1, maximum: 5}", "5"),
        .init("{minimum: 1, maximum: 5}", "0", "$ must be at least 1, not 0"),
        .init("{minimum: 1, maximum: 5}", "5.5", "$ must be at most 5, not 5.5"),
        .init("{exclusiveMinimum: 0, exclusiveMaximum: 1}", "0.5"),
        .init("{exclusiveMinimum: 0, exclusiveMaximum: 1}", "0", "$ must be greater than 0, not 0"),
        .init("{exclusiveMinimum: 0, exclusiveMaximum: 1}", "1", "$ must be less than 1, not 1"),
        .init("{minimum: 10}", #""5""#),
        .init("{type: string, minLength: 1}", #""""#, "$ must not be empty"),
        .init("{type: string, minLength: 3}", #""ab""#, "$ must be at least 3 characters long, not 2"),
        .init("{type: string, maxLength: 3}", #""abcd""#, "$ must be at most 3 characters long, not 4"),
        .init("{type: string, maxLength: 1}", #""é""#),
        .init("{type: string, maxLength: 2}", #""👍🏽""#),
        .init("{type: string, maxLength: 1}", #""👍🏽""#, "$ must be at most 1 character long, not 2"),
        .init("{type: string, pattern: '^[a-z]+$'}", #""abc""#),
        .init("{type: string, pattern: '^[a-z]+$'}", #""abc1""#, "$ must match the pattern ^[a-z]+$"),
        .init("{type: string, pattern: '\\d'}", #""room 101""#),
        .init("{type: string, pattern: 'x'}", #""abc""#, "$ must match the pattern x"),
    ]

    static let collections: [ValidationCase] = [
        .init("{type: array, items: {type: integer}}", "[1, 2, 3]"),
        .init("{type: array, items: {type: integer}}", #"[1, "two", 3, null]"#, "$[1] must be an integer, not a string", "$[3] must be an integer, not null"),
        .init("{type: array, minItems: 1}", "[]", "$ must have at least 1 item, not 0"),
        .init("{type: array, maxItems: 2}", "[1, 2, 3]", "$ must have at most 2 items, not 3"),
        .init("{type: object, required: [ticket]}", "{}", "$.ticket is required"),
        .init("{type: object, required: [ticket], properties: {ticket: {type: string}}}", #"{"ticket": 7}"#, "$.ticket must be a string, not a number"),
        .init("{required: [a, b]}", #"{"b": null}"#, "$.a is required"),
        .init("{required: [a]}", "3"),
        .init("{properties: {a: {type: string}}}", #"{"b": 1}"#),
        .init("{properties: {a: {}}, additionalProperties: false}", #"{"a": 1, "b": 2}"#, "$.b is not allowed; the properties are a"),
        .init("{additionalProperties: false}", #"{"x": 1}"#, "$.x is not allowed; the object may have no properties"),
        .init("{properties: {a: {}}, additionalProperties: {type: integer}}", #"{"a": "x", "b": 2, "c": "3"}"#, "$.c must be an integer, not a string"),
        .init("{properties: {'odd key': {type: string}, 'it''s': {type: string}}}", #"{"odd key": 1, "it's": 2}"#, "$['odd key'] must be a string, not a number", #"$['it\'s'] must be a string, not a number"#),
        .init("{properties: {none: false}}", #"{"none": 1}"#, "$.none is not allowed"),
        .init(
            "{type: object, properties: {items: {type: array, items: {type: object, required: [name], properties: {name: {type: string, minLength: 1}}}}}}",
            #"{"items": [{"name": "a"}, {"name": ""}, {}]}"#,
            "$.items[1].name must not be empty", "$.items[2].name is required"
        ),
        .init("{type: object, properties: {a: {type: object, properties: {b: {type: array, items: {enum: [x]}}}}}}", #"{"a": {"b": ["x", "y"]}}"#, #"$.a.b[1] must be one of: x (got "y")"#),
    ]

    static let composition: [ValidationCase] = [
        .init("{anyOf: [{type: string}, {type: integer}]}", "3"),
        .init("{anyOf: [{type: string}, {type: integer}]}", #""x""#),
        .init("{anyOf: [{type: string}, {type: integer}]}", "true", "$ must be a string or an integer, not a boolean"),
        .init("{anyOf: [{type: string, minLength: 2}, {type: integer}]}", #""x""#, "$ must be at least 2 characters long, not 1"),
        .init(
            "{anyOf: [{required: [a]}, {required: [b]}]}", "{}",
            "$ must match at least one of the alternatives of `anyOf`: #1: $.a is required; #2: $.b is required"
        ),
        .init("{anyOf: [{required: [a]}, {required: [b]}]}", #"{"b": 1}"#),
        .init("{oneOf: [{type: integer}, {type: number}]}", "2.5"),
        .init("{oneOf: [{type: integer}, {type: number}]}", "2", "$ must match exactly one of the alternatives of `oneOf`, but matches #1, #2"),
        .init("{oneOf: [{type: string}, {type: boolean}]}", "null", "$ must be a string or a boolean, not null"),
        .init(
            "{oneOf: [{type: object, required: [kind], properties: {kind: {const: a}}}, {type: object, required: [kind], properties: {kind: {const: b}}}]}",
            #"{"kind": "c"}"#,
            #"$ must match exactly one of the alternatives of `oneOf`: #1: $.kind must be "a", not "c"; #2: $.kind must be "b", not "c""#
        ),
        .init("{allOf: [{type: string}, {minLength: 2}, {maxLength: 3}]}", #""ab""#),
        .init("{allOf: [{type: string}, {minLength: 2}, {pattern: '^b'}]}", #""a""#, "$ must be at least 2 characters long, not 1", "$ must match the pattern ^b"),
        .init("{type: object, properties: {v: {anyOf: [{type: string}, {type: array, items: {type: integer}}]}}}", #"{"v": [1, "x"]}"#, "$.v[1] must be an integer, not a string"),
        .init("{type: object, allOf: [{required: [a]}], anyOf: [{required: [b]}, {required: [c]}]}", #"{"c": 1}"#, "$.a is required"),
    ]

    @Test(arguments: types + scalars + collections + composition)
    func reportsExactlyTheViolations(_ testCase: ValidationCase) throws {
        let schema = try SchemaFixture.schema(testCase.schema)
        let value = try SchemaFixture.json(testCase.value)
        #expect(schema.validate(value).map(\.description) == testCase.expected)
        #expect(schema.accepts(value) == testCase.expected.isEmpty)
    }

    @Test func hasMoreThanSixtyCases() {
        #expect((Self.types + Self.scalars + Self.collections + Self.composition).count > 60)
    }

    @Test func validatesSchemasBuiltInCode() {
        let schema = JSONSchema(types: [.object], properties: ["n": JSONSchema(.integer)], required: ["n"])
        #expect(schema.validate(["n": 1]).isEmpty)
        #expect(schema.validate(["n": "1"]) == [SchemaViolation(path: "$.n", message: "must be an integer, not a string")])
        #expect(JSONSchema(pattern: "[").validate("anything").map(\.message) == ["must match the pattern ["])
    }
}
