import Testing

@testable import ApexDSL

@Suite struct SchemaLookupTests {
    private func lookup(_ name: String, in schema: String) throws -> PropertyLookup {
        try SchemaFixture.schema(schema).lookupProperty(name)
    }

    private func knownTypes(_ lookup: PropertyLookup) -> [JSONType]?? {
        if case .known(let schema) = lookup { return .some(schema?.types) }
        return nil
    }

    @Test func findsDeclaredProperties() throws {
        let result = try lookup("category", in: "{type: object, properties: {category: {type: string}}}")
        #expect(knownTypes(result) == .some([.string]))
    }

    @Test func reportsAbsentPropertiesOfAClosedObject() throws {
        guard case .absentClosed = try lookup("categry", in: "{properties: {category: {}}, additionalProperties: false}") else {
            Issue.record("not closed"); return
        }
        guard case .absentClosed = try lookup("x", in: "false") else { Issue.record("false is not closed"); return }
        guard case .absentClosed = try lookup("x", in: "{properties: {x: false}}") else { Issue.record("x may exist"); return }
    }

    @Test func offersCandidatesForAbsentPropertiesOfAnOpenObject() throws {
        guard case .absentOpen(let candidates) = try lookup("categry", in: "{type: object, properties: {category: {}, score: {}}}") else {
            Issue.record("not open"); return
        }
        #expect(candidates == ["category", "score"])
    }

    @Test func knowsNothingAboutObjectsWithoutDeclaredProperties() throws {
        #expect(knownTypes(try lookup("a", in: "{type: object}")) == .some(nil))
        #expect(knownTypes(try lookup("a", in: "{}")) == .some(nil))
    }

    @Test func usesTheAdditionalPropertiesSchema() throws {
        #expect(knownTypes(try lookup("any", in: "{additionalProperties: {type: integer}}")) == .some([.integer]))
    }

    @Test func namesWhatANonObjectIs() throws {
        guard case .notAnObject(let text) = try lookup("a", in: "{type: [string, 'null']}") else { Issue.record("object"); return }
        #expect(text == "a string or null")
        guard case .notAnObject(let alternatives) = try lookup("a", in: "{anyOf: [{type: string}, {type: array}]}") else {
            Issue.record("object"); return
        }
        #expect(alternatives == "a string or an array")
    }

    @Test func mergesAlternatives() throws {
        let closedBoth = "{anyOf: [{properties: {a: {type: string}}, additionalProperties: false}, {properties: {b: {}}, additionalProperties: false}]}"
        #expect(knownTypes(try lookup("a", in: closedBoth)) == .some([.string]))
        guard case .absentClosed = try lookup("c", in: closedBoth) else { Issue.record("not closed"); return }

        let oneOpen = "{oneOf: [{properties: {a: {type: string}}, additionalProperties: false}, {type: object, properties: {b: {}}}]}"
        #expect(knownTypes(try lookup("a", in: oneOpen)) == .some(nil))
        guard case .absentOpen(let candidates) = try lookup("c", in: oneOpen) else { Issue.record("not open"); return }
        #expect(candidates == ["b"])

        let differing = "{anyOf: [{properties: {a: {type: string}}}, {properties: {a: {type: integer}}}]}"
        #expect(knownTypes(try lookup("a", in: differing)) == .some(nil))
        let agreeing = "{anyOf: [{properties: {a: {type: string}}, additionalProperties: false}, {properties: {a: {type: string}}, additionalProperties: false}]}"
        #expect(knownTypes(try lookup("a", in: agreeing)) == .some([.string]))

        let withString = "{anyOf: [{type: string}, {type: object, properties: {a: {}}, additionalProperties: false}]}"
        guard case .absentClosed = try lookup("b", in: withString) else { Issue.record("not closed"); return }
    }

    @Test func appliesEveryAllOfBranch() throws {
        let schema = "{properties: {a: {type: string}}, allOf: [{properties: {b: {type: integer}}}]}"
        #expect(knownTypes(try lookup("b", in: schema)) == .some([.integer]))
        #expect(knownTypes(try lookup("a", in: schema)) == .some([.string]))
    }

    @Test func givesTheElementSchemaOfLists() throws {
        #expect(try SchemaFixture.schema("{type: array, items: {type: string}}").itemSchema?.types == [.string])
        #expect(try SchemaFixture.schema("{type: object, items: {type: string}}").itemSchema == nil)
        #expect(try SchemaFixture.schema("{type: array}").itemSchema == nil)
        #expect(try SchemaFixture.schema("{allOf: [{items: {type: integer}}]}").itemSchema?.types == [.integer])
    }
}
