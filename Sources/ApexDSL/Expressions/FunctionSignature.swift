/// What a function of ``FunctionLibrary`` takes and gives, for static checks: its alternatives
/// (overloads), each a list of parameters, maybe followed by a parameter that repeats, and the
/// kinds it returns. The argument counts that `function-arity` checks come from here too.
///
/// The signatures say what the function's body accepts without an error; they are tested
/// against the bodies (FunctionSignatureTests), so the two cannot drift apart.
public struct FunctionSignature: Sendable {
    /// What one parameter accepts, or what a function returns.
    public enum Kind: Sendable, Hashable {
        /// A value of these kinds.
        case value(ValueKinds)
        /// A list whose every element is of these kinds (`min([1, 2])`).
        case list(of: ValueKinds)

        /// Anything, `null` included.
        public static let any = Kind.value(.all)

        /// "a string", "a list of numbers".
        var phrase: String {
            switch self {
            case .value(let kinds): kinds.phrase
            case .list(of: let elements): elements == .all ? "a list" : "a list of \(elements.plural)"
            }
        }

        /// Whether an argument of these kinds (and, when it is a list, of these element kinds)
        /// may be accepted. An argument that has no kind at all (its expression always fails
        /// first) is accepted: another check reports it.
        func admits(_ kinds: ValueKinds, elements: ValueKinds) -> Bool {
            if kinds.isEmpty { return true }
            switch self {
            case .value(let accepted):
                return !accepted.isDisjoint(with: kinds)
            case .list(of: let accepted):
                return kinds.contains(.list) && (elements.isEmpty || !accepted.isDisjoint(with: elements))
            }
        }
    }

    public struct Overload: Sendable {
        public let parameters: [Kind]
        /// A parameter that may follow the others any number of times (`format`'s values).
        public let repeating: Kind?
        public let returns: Kind

        public init(_ parameters: [Kind], repeating: Kind? = nil, returns: Kind) {
            self.parameters = parameters
            self.repeating = repeating
            self.returns = returns
        }

        func accepts(count: Int) -> Bool {
            repeating == nil ? count == parameters.count : count >= parameters.count
        }

        func parameter(at position: Int) -> Kind {
            position < parameters.count ? parameters[position] : repeating ?? .any
        }
    }

    public let overloads: [Overload]

    public init(_ overloads: [Overload]) {
        self.overloads = overloads
    }

    /// A function with one list of parameters.
    public init(_ parameters: [Kind], repeating: Kind? = nil, returns: Kind) {
        self.init([Overload(parameters, repeating: repeating, returns: returns)])
    }

    /// The argument counts some overload takes.
    public var arity: ClosedRange<Int> {
        let lower = overloads.map(\.parameters.count).min() ?? 0
        let upper = overloads.map { $0.repeating == nil ? $0.parameters.count : Int.max }.max() ?? 0
        return lower...upper
    }

    /// An argument that no overload can accept: where it is, and what was expected instead.
    public struct Mismatch: Sendable, Hashable {
        public let position: Int
        /// What the overloads still in play accept there: "a string", "a number or a list of numbers".
        public let expected: String
    }

    /// The first argument that no overload accepts, given what the arguments before it rule
    /// out; nil when some overload may accept them all, or none takes that many arguments
    /// (`function-arity` says so).
    ///
    /// - Parameter arguments: the kinds of each argument, and the kinds of its elements when
    ///   it is a list (``ValueKinds/all`` when they are not known).
    public func mismatch(_ arguments: [(kinds: ValueKinds, elements: ValueKinds)]) -> Mismatch? {
        var candidates = overloads.filter { $0.accepts(count: arguments.count) }
        guard !candidates.isEmpty else { return nil }
        for (position, argument) in arguments.enumerated() {
            let fitting = candidates.filter { $0.parameter(at: position).admits(argument.kinds, elements: argument.elements) }
            guard !fitting.isEmpty else {
                var expected: [String] = []
                for phrase in candidates.map({ $0.parameter(at: position).phrase }) where !expected.contains(phrase) { expected.append(phrase) }
                return Mismatch(position: position, expected: expected.joined(separator: " or "))
            }
            candidates = fitting
        }
        return nil
    }

    /// What the call returns: what the overloads that may accept the arguments return.
    public func returns(_ arguments: [(kinds: ValueKinds, elements: ValueKinds)]) -> [Kind] {
        overloads.filter { overload in
            overload.accepts(count: arguments.count)
                && arguments.enumerated().allSatisfy { overload.parameter(at: $0.offset).admits($0.element.kinds, elements: $0.element.elements) }
        }.map(\.returns)
    }
}

extension ValueKinds {
    /// The kinds in the plural, for "a list of numbers": "strings", "numbers or strings".
    var plural: String {
        var words: [String] = []
        if contains(.null) { words.append("nulls") }
        if contains(.boolean) { words.append("booleans") }
        if isSuperset(of: .number) || contains(.float) { words.append("numbers") } else if contains(.integer) { words.append("integers") }
        if contains(.string) { words.append("strings") }
        if contains(.list) { words.append("lists") }
        if contains(.object) { words.append("objects") }
        guard words.count > 1 else { return words.first ?? "nothing" }
        return words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
    }
}
