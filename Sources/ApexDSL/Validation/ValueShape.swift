import OrderedCollections

/// What validation knows statically about the value of an expression: its type, as far as the
/// workflow tells. The rules on expressions (`unknown-property`, `operator-type`,
/// `argument-type`, `enum-comparison`, `condition-type`, `field-type`) are built on it.
///
/// A shape says what the value is **when it is not null**: almost any read may give null (a
/// property that is absent, a step that was skipped), so null is left implicit, and checks only
/// flag what fails, or is always false, for every non-null value. `??`, `&&` and `||` therefore
/// always keep both sides (see ``ExpressionTyper``). Where the workflow says nothing, the shape
/// is ``unknown``, and nothing is flagged.
indirect enum ValueShape: Sendable {
    case unknown
    /// Always null, with the reason (`llm step "a" has no `schema`, so its data is null`).
    case null(String)
    /// A value of these kinds, nothing more known. No kind at all (``never``) is the value of an
    /// expression that always fails (already reported), so that one mistake is reported once.
    case kinds(ValueKinds)
    /// One of these scalar values (an `enum`, a `const`, literals).
    case values([JSONValue])
    /// An object with known fields, in the order written; `closed` when no other field can exist.
    case object(OrderedDictionary<String, ValueShape>, closed: Bool)
    case list(ValueShape)
    case schema(JSONSchema)
    /// Any one of these shapes (two at least, none of them a union).
    case union([ValueShape])

    static let string = ValueShape.kinds(.string)
    static let integer = ValueShape.kinds(.integer)
    static let boolean = ValueShape.kinds(.boolean)
    static let never = ValueShape.kinds([])

    /// The kinds the value may have (null only when it is always, or explicitly, null).
    var kinds: ValueKinds {
        switch self {
        case .unknown: .all
        case .null: .null
        case .kinds(let kinds): kinds
        case .values(let values): values.reduce(into: []) { $0.formUnion(ValueKinds(of: $1)) }
        case .object: .object
        case .list: .list
        case .schema(let schema): schema.valueKinds
        case .union(let members): members.reduce(into: []) { $0.formUnion($1.kinds) }
        }
    }

    /// The values it can have when they are finitely many (an `enum`, a `const`, literals), else nil.
    var possibleValues: [JSONValue]? {
        switch self {
        case .values(let values): return values
        case .null: return [.null]
        case .schema(let schema): return schema.possibleValues
        case .union(let members):
            var all: [JSONValue] = []
            for member in members {
                guard let values = member.possibleValues else { return nil }
                all += values
            }
            return all
        case .unknown, .kinds, .object, .list: return nil
        }
    }

    /// The shape of the value, from a literal.
    init(_ value: JSONValue) {
        switch value {
        case .array(let items):
            self = .list(items.reduce(ValueShape.never) { $0.or(ValueShape($1)) })
        case .object(let members):
            self = .object(members.mapValues(ValueShape.init), closed: true)
        default:
            self = .values([value])
        }
    }

    /// The most members a union keeps, and the most values a ``values`` list keeps, before they
    /// are reduced to their kinds: a workflow that sets one variable in 10,000 steps stays fast.
    static let maxMembers = 16

    /// A value of this shape or of `other` (`a ?? b`, `c ? a : b`, two assignments of a variable).
    func or(_ other: ValueShape) -> ValueShape {
        switch (self, other) {
        case (.unknown, _), (_, .unknown): return .unknown
        case (.kinds(let a), _) where a.isEmpty: return other
        case (_, .kinds(let b)) where b.isEmpty: return self
        case (.kinds(let a), .kinds(let b)): return .kinds(a.union(b))
        // Nothing is known of the values of these kinds, so any shape of them adds nothing.
        case (.kinds(let a), _) where a.isSuperset(of: other.kinds): return self
        case (_, .kinds(let b)) where b.isSuperset(of: kinds): return other
        case (.values(let a), .values(let b)):
            var merged = a
            for value in b where !merged.contains(where: { $0.equalsDeeply(value) }) { merged.append(value) }
            return merged.count > Self.maxMembers ? .kinds(kinds.union(other.kinds)) : .values(merged)
        case (.list(let a), .list(let b)):
            return .list(a.or(b))
        default:
            var members: [ValueShape] = []
            for member in self.alternatives + other.alternatives where !members.contains(where: { $0.isSame(as: member) }) {
                members.append(member)
            }
            if members.count == 1 { return members[0] }
            return members.count > Self.maxMembers ? .kinds(kinds.union(other.kinds)) : .union(members)
        }
    }

    /// The members of a union, or the shape itself.
    private var alternatives: [ValueShape] {
        if case .union(let members) = self { members } else { [self] }
    }

    /// How deep the environment keeps shapes it builds from assignments: a `set` that stores the
    /// output of a step that stored another's, 10,000 times over, must not nest 10,000 deep.
    static let maxDepth = 6

    /// The shape with what lies deeper than `depth` levels of objects and lists unknown.
    func limited(to depth: Int = maxDepth) -> ValueShape {
        switch self {
        case .object(let fields, let closed):
            return depth == 0 ? .kinds(.object) : .object(fields.mapValues { $0.limited(to: depth - 1) }, closed: closed)
        case .list(let element):
            return depth == 0 ? .kinds(.list) : .list(element.limited(to: depth - 1))
        case .union(let members):
            return .union(members.map { $0.limited(to: depth) })
        case .unknown, .null, .kinds, .values, .schema:
            return self
        }
    }

    /// Whether two shapes are certainly the same (schemas by identity), to keep unions short
    /// and to tell when the rounds of ``TypeEnvironment`` settle. Past `depth` levels of
    /// objects and lists, shapes count as different.
    func isSame(as other: ValueShape, depth: Int = .max) -> Bool {
        switch (self, other) {
        case (.unknown, .unknown): return true
        case (.null, .null): return true
        case (.kinds(let a), .kinds(let b)): return a == b
        case (.values(let a), .values(let b)): return a == b
        case (.schema(let a), .schema(let b)): return a === b
        case (.list(let a), .list(let b)): return depth > 0 && a.isSame(as: b, depth: depth - 1)
        case (.object(let a, let x), .object(let b, let y)):
            return depth > 0 && x == y && a.keys == b.keys && zip(a.values, b.values).allSatisfy { $0.isSame(as: $1, depth: depth - 1) }
        case (.union(let a), .union(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSame(as: $1, depth: depth) }
        default: return false
        }
    }
}

extension JSONSchema {
    /// The kinds of the values the schema admits: its `type`, narrowed by `allOf` and widened
    /// by the alternatives of `anyOf`/`oneOf`; of its `enum` or `const` when it has no `type`.
    var valueKinds: ValueKinds {
        var kinds = types.map { $0.reduce(into: ValueKinds()) { $0.formUnion(ValueKinds($1)) } } ?? .all
        if types == nil, let values = possibleValues {
            kinds = values.reduce(into: []) { $0.formUnion(ValueKinds(of: $1)) }
        }
        for branch in allOf { kinds.formIntersection(branch.valueKinds) }
        for alternatives in [anyOf, oneOf] where !alternatives.isEmpty {
            kinds.formIntersection(alternatives.reduce(into: ValueKinds()) { $0.formUnion($1.valueKinds) })
        }
        return kinds
    }

    /// The values the schema admits when they are finitely many: its `const`, its `enum`, the
    /// values of an `allOf` branch that has them, or of every `anyOf`/`oneOf` alternative.
    var possibleValues: [JSONValue]? {
        if let constValue { return [constValue] }
        if let enumValues { return enumValues }
        if let found = allOf.lazy.compactMap(\.possibleValues).first { return found }
        for alternatives in [anyOf, oneOf] where !alternatives.isEmpty {
            var all: [JSONValue] = []
            for alternative in alternatives {
                guard let values = alternative.possibleValues else { return nil }
                all += values
            }
            return all
        }
        return nil
    }
}
