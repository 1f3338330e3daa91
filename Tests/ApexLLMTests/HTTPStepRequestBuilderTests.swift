import ApexDSL
import ApexEngine
@testable import ApexLLM
import Testing

@Suite struct HTTPStepRequestBuilderTests {
    let secrets = Secrets(values: ["TOKEN": "s3cr3t"])

    private func build(_ fields: String, input: JSONValue = [:]) throws -> HTTPStepRequest {
        let fixture = try HTTPStepFixture(fields)
        return try HTTPStepRequestBuilder.build(try fixture.call, request: fixture.request(input: input), secrets: secrets)
    }

    private func failure(_ fields: String, input: JSONValue = [:]) throws -> HTTPStepFailure? {
        do {
            _ = try build(fields, input: input)
            return nil
        } catch let failure as HTTPStepFailure {
            return failure
        }
    }

    @Test func defaultsToGETWithNoBodyAndAny2xx() throws {
        let request = try build("url: https://api.example/x")
        #expect(request.method == "GET")
        #expect(request.body == nil)
        #expect(request.headers.isEmpty)
        #expect(request.accepts(200) && request.accepts(299) && !request.accepts(301) && !request.accepts(199))
    }

    @Test func evaluatesEveryFieldWithSecretsAndInput() throws {
        let request = try build("""
            method: PUT
            url: "https://api.example/items/${{ input.id }}"
            headers: { Authorization: "Bearer ${{ secrets.TOKEN }}", X-Count: "${{ input.n }}", X-Flag: true, X-List: [1, "a"], X-Gone: null }
            query: { q: "${{ input.q }}", tag: [a, null, b], none: null, n: 1.5 }
            json: { id: "${{ input.id }}", n: "${{ input.n }}" }
            expect: [201, 204]
            """, input: ["id": "42", "n": 3, "q": "x y"])
        #expect(request.method == "PUT")
        #expect(request.url == "https://api.example/items/42?q=x%20y&tag=a&tag=b&n=1.5")
        #expect(request.headers.map { "\($0.name): \($0.value)" } == [
            "Authorization: Bearer s3cr3t", "X-Count: 3", "X-Flag: true", "X-List: [1,\"a\"]", "Content-Type: application/json",
        ])
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"{"id":"42","n":3}"#)
        #expect(request.expect == [201, 204])
        #expect(request.accepts(204) && !request.accepts(200))
    }

    @Test func keepsTheContentTypeTheUserSet() throws {
        let request = try build("""
            method: POST
            url: https://api.example/x
            headers: { content-type: application/vnd.api+json }
            json: [1, 2]
            """)
        #expect(request.headers.map(\.value) == ["application/vnd.api+json"])
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == "[1,2]")
    }

    @Test func sendsABodyStringAsItIsAndOtherValuesAsJSON() throws {
        let text = try build("""
            method: POST
            url: https://api.example/x
            body: "a=1&b=${{ input.b }}"
            """, input: ["b": "two words"])
        #expect(text.body.map { String(decoding: $0, as: UTF8.self) } == "a=1&b=two words")
        #expect(text.headers.isEmpty)
        let object = try build("""
            method: POST
            url: https://api.example/x
            body: "${{ input.doc }}"
            """, input: ["doc": ["k": [true]]])
        #expect(object.body.map { String(decoding: $0, as: UTF8.self) } == #"{"k":[true]}"#)
    }

    @Test func anInvalidURLFromAnExpressionIsAnInvalidRequest() throws {
        let failure = try #require(try failure(#"url: "${{ input.host }}/x?k=${{ secrets.TOKEN }}""#, input: ["host": "api.example"]))
        #expect(failure.type == "http.invalid_request")
        // Not scrubbed yet: the executor scrubs every failure.
        #expect(failure.message == #"invalid URL: "api.example/x?k=s3cr3t" is not an absolute URL; it must start with http:// or https://"#)
    }

    @Test func headersAndQueryMustBeMappings() throws {
        #expect(try failure("url: https://h/x\nheaders: \"${{ input.list }}\"", input: ["list": [1]])?.message == #""headers" must be a mapping, but its value is of type array"#)
        #expect(try failure("url: https://h/x\nquery: \"${{ input.n }}\"", input: ["n": 1])?.type == "http.invalid_request")
    }

    @Test func headersThatWouldBreakTheRequestAreRefusedWithoutTheirValue() throws {
        let injected = try #require(try failure("url: https://h/x\nheaders: { X-A: \"${{ input.v }}\" }", input: ["v": "1\r\nX-B: 2"]))
        #expect(injected.message == #"the value of header "X-A" contains a line break"#)
        #expect(try failure("url: https://h/x\nheaders: { \"bad name\": x }")?.message == #""bad name" is not a valid header name"#)
    }

    @Test func anExpressionThatFailsIsAnExpressionError() throws {
        // From the input: a literal argument that cannot parse is refused by `apex validate`.
        #expect(try failure(#"url: "https://h/${{ fromJSON(input.text) }}""#, input: ["text": "nope"])?.type == "expression")
    }
}
