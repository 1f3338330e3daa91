import Testing

@testable import ApexDSL

/// The signatures of ``FunctionLibrary`` agree with the functions' bodies: a call that a
/// signature rejects fails when it runs (so `argument-type` never flags a call that could work),
/// and a call that succeeds returns a value of a kind its signature announces (so the types that
/// flow from calls are sound).
@Suite struct FunctionSignatureTests {
    /// One value of every kind, and the values the functions tell apart (numeric strings, a
    /// format template, lists of numbers and of strings, the empty list).
    static let samples: [JSONValue] = [nil, true, 3, 2.5, "a", "1", "{0}", [1, 2], ["a"], [], ["k": 1]]

    /// Every tuple of samples with `count` elements.
    static func tuples(_ count: Int) -> [[JSONValue]] {
        (0..<count).reduce([[]]) { tuples, _ in tuples.flatMap { tuple in samples.map { tuple + [$0] } } }
    }

    static func kinds(_ value: JSONValue) -> (kinds: ValueKinds, elements: ValueKinds) {
        let elements = value.arrayValue.map { $0.reduce(into: ValueKinds()) { $0.formUnion(ValueKinds(of: $1)) } } ?? .all
        return (ValueKinds(of: value), elements)
    }

    static func admits(_ kind: FunctionSignature.Kind, _ value: JSONValue) -> Bool {
        switch kind {
        case .value(let kinds): kinds.contains(ValueKinds(of: value))
        case .list(of: let kinds): value.arrayValue.map { $0.allSatisfy { kinds.contains(ValueKinds(of: $0)) } } ?? false
        }
    }

    @Test(arguments: FunctionLibrary.names)
    func signatureAgreesWithTheBody(_ name: String) throws {
        let signature = try #require(FunctionLibrary.signature(of: name))
        let arity = signature.arity
        for count in arity.lowerBound...min(arity.upperBound, 3) {
            for values in Self.tuples(count) {
                let arguments = FunctionArguments(function: name, values: values, ranges: values.map { _ in 0..<1 }, callRange: 0..<1)
                let kinds = values.map(Self.kinds)
                let result: JSONValue?
                do { result = try FunctionLibrary.call(arguments) } catch { result = nil }
                if let mismatch = signature.mismatch(kinds) {
                    #expect(result == nil, "\(name)\(values) succeeds, but its signature rejects argument \(mismatch.position + 1)")
                }
                if let result {
                    let returns = signature.returns(kinds)
                    #expect(returns.contains { Self.admits($0, result) }, "\(name)\(values) gives \(result), which its signature does not announce")
                }
            }
        }
    }

    @Test func arityComesFromTheOverloads() {
        #expect(FunctionLibrary.arity(of: "length") == 1...1)
        #expect(FunctionLibrary.arity(of: "join") == 1...2)
        #expect(FunctionLibrary.arity(of: "format") == 1...Int.max)
        #expect(FunctionLibrary.arity(of: "min") == 1...Int.max)
        #expect(FunctionLibrary.arity(of: "nope") == nil)
    }

    @Test func aMismatchNamesTheArgumentAndWhatTheOverloadsLeftInPlayTake() throws {
        let contains = try #require(FunctionLibrary.signature(of: "contains"))
        // A string first leaves only contains(string, string).
        #expect(contains.mismatch([(.string, .all), (.integer, .all)]) == .init(position: 1, expected: "a string"))
        #expect(contains.mismatch([(.object, .all), (.string, .all)]) == .init(position: 0, expected: "a string or a list"))
        #expect(contains.mismatch([([.string, .list], .all), (.integer, .all)]) == nil)
        let min = try #require(FunctionLibrary.signature(of: "min"))
        #expect(min.mismatch([(.list, .string)]) == .init(position: 0, expected: "a list of numbers or a number"))
        #expect(min.mismatch([(.list, [])]) == nil, "an empty list literal is someone else's problem")
        #expect(min.mismatch([(.integer, .all), (.string, .all)]) == .init(position: 1, expected: "a number"))
    }
}
