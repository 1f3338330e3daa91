import ApexCompiler
import ApexDSL
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SVG of every workflow we have (examples, compiler fixtures, the DSL's valid fixtures
/// that compile) is well-formed XML and a sound drawing: unique node ids, edges between
/// drawn nodes, no overlapping nodes, everything inside the picture and inside its clusters,
/// clusters nested, edges starting and ending at their nodes, labels off the nodes.
@Suite struct SVGLayoutTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// Paths of every workflow file to draw.
    static var files: [String] {
        let folders = [
            ExampleWorkflowTests.folder,
            Fixtures.folder,
            testsFolder.appendingPathComponent("ApexDSLTests/Fixtures/valid"),
        ]
        return folders.flatMap { folder in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            // Test files (`*.test.yaml`) are not workflows.
            return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".test.") }.sorted()
                .map { folder.appendingPathComponent($0).path }
        }
    }

    @Test func everyKindOfFileIsDrawn() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: files)
    func drawingIsSound(path: String) throws {
        let result = WorkflowValidator.validate(data: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        // Only the files that compile (some DSL fixtures lean on files they do not ship).
        guard let plan = try? Compiler.compile(result) else { return }
        try SVGDrawing(plan.svg()).expectSound(plan, path)
    }

    @Test func lanesKeepLongSkipsAndLoopsApart() throws {
        let plan = try Fixtures.plan("""
            apex: 1
            name: tangle
            steps:
              - id: a
                switch:
                  - when: ${{ true }}
                    next: d
                  - when: ${{ false }}
                    next: e
                  - default: b
              - id: b
                set: { x: 1 }
                catch:
                  - errors: ["*"]
                    next: e
              - id: c
                switch:
                  - when: ${{ true }}
                    next: a
                  - when: ${{ false }}
                    next: c
                  - default: d
              - id: d
                set: { y: 1 }
              - id: e
                set: { z: 1 }
            """)
        let drawing = try SVGDrawing(plan.svg())
        try drawing.expectSound(plan, "tangle")
        let back = drawing.edges.filter { $0.classes.contains("back") }
        #expect(Set(back.map { "\($0.from)→\($0.to)" }) == ["c→a", "c→c"])
        // No two vertical lane lines of different edges share an x over a common stretch.
        let lanes = drawing.edges.filter { $0.points.count == 4 }.map { (x: $0.points[1].x, low: min($0.points[1].y, $0.points[2].y), high: max($0.points[1].y, $0.points[2].y)) }
        for (index, lane) in lanes.enumerated() {
            for other in lanes[(index + 1)...] where other.x == lane.x {
                #expect(other.high < lane.low || lane.high < other.low, "lanes overlap at x=\(lane.x)")
            }
        }
    }
}

/// An SVG drawing read back with XMLDocument.
struct SVGDrawing {
    struct Box {
        var minX, minY, maxX, maxY: Double

        func contains(_ other: Box, slack: Double = 0.05) -> Bool {
            other.minX >= minX - slack && other.maxX <= maxX + slack && other.minY >= minY - slack && other.maxY <= maxY + slack
        }

        func overlaps(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }

        func contains(_ point: SVGPoint, slack: Double) -> Bool {
            point.x >= minX - slack && point.x <= maxX + slack && point.y >= minY - slack && point.y <= maxY + slack
        }
    }

    struct SVGPoint {
        var x, y: Double
    }

    struct Edge {
        var from, to: String
        var classes: [String]
        var points: [SVGPoint]
        var label: Box?
    }

    var viewBox: Box
    var nodes: [(id: String, box: Box)] = []
    var clusters: [(id: String, box: Box)] = []
    var edges: [Edge] = []

    init(_ svg: String) throws {
        let root = try #require(try XMLDocument(xmlString: svg, options: []).rootElement())
        let numbers = Self.attribute(root, "viewBox").split(separator: " ").compactMap { Double($0) }
        try #require(numbers.count == 4)
        viewBox = Box(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
        for element in try root.nodes(forXPath: "//*[@data-node]").compactMap({ $0 as? XMLElement }) {
            nodes.append((Self.attribute(element, "data-node"), try #require(Self.shapeBox(of: element))))
        }
        for element in try root.nodes(forXPath: "//*[@data-cluster]").compactMap({ $0 as? XMLElement }) {
            clusters.append((Self.attribute(element, "data-cluster"), try #require(Self.shapeBox(of: element))))
        }
        for element in try root.nodes(forXPath: "//*[@data-from]").compactMap({ $0 as? XMLElement }) {
            let children = element.children?.compactMap { $0 as? XMLElement } ?? []
            let path = Self.attribute(try #require(children.first { $0.localName == "path" }), "d")
            let values = path.split(whereSeparator: { $0 == " " || $0 == "M" || $0 == "L" }).compactMap { Double($0) }
            let points = stride(from: 0, to: values.count - 1, by: 2).map { SVGPoint(x: values[$0], y: values[$0 + 1]) }
            var label: Box?
            if let text = children.first(where: { $0.localName == "text" }) {
                let x = Double(Self.attribute(text, "x")) ?? 0, y = Double(Self.attribute(text, "y")) ?? 0
                // The width the layout reserves for 11px text.
                let width = Double(text.stringValue?.count ?? 0) * 6.2
                let start = Self.attribute(text, "text-anchor") == "end" ? x - width : x
                label = Box(minX: start, minY: y - 10, maxX: start + width, maxY: y + 3)
            }
            edges.append(Edge(from: Self.attribute(element, "data-from"), to: Self.attribute(element, "data-to"),
                              classes: Self.attribute(element, "class").split(separator: " ").map(String.init), points: points, label: label))
        }
    }

    func expectSound(_ plan: Plan, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let boxes = Dictionary(nodes, uniquingKeysWith: { first, _ in first })
        #expect(boxes.count == nodes.count, "\(name): node ids repeat", sourceLocation: sourceLocation)
        #expect(nodes.count == plan.states.count + 2 + plan.states.filter { $0.kind.hasJoin }.count, "\(name)", sourceLocation: sourceLocation)
        for (index, node) in nodes.enumerated() {
            #expect(viewBox.contains(node.box), "\(name): \(node.id) is outside the picture", sourceLocation: sourceLocation)
            for other in nodes[(index + 1)...] {
                #expect(!node.box.overlaps(other.box), "\(name): \(node.id) overlaps \(other.id)", sourceLocation: sourceLocation)
            }
        }
        for edge in edges {
            let from = boxes[edge.from], to = boxes[edge.to]
            #expect(from != nil && to != nil, "\(name): edge \(edge.from) → \(edge.to) between unknown nodes", sourceLocation: sourceLocation)
            guard let from, let to, let first = edge.points.first, let last = edge.points.last else { continue }
            #expect(from.contains(first, slack: 0.1) && to.contains(last, slack: 0.1), "\(name): \(edge.from) → \(edge.to) does not join its nodes", sourceLocation: sourceLocation)
            if let label = edge.label {
                #expect(viewBox.contains(label), "\(name): label of \(edge.from) → \(edge.to) is outside", sourceLocation: sourceLocation)
                for node in nodes {
                    #expect(!label.overlaps(node.box), "\(name): label of \(edge.from) → \(edge.to) covers \(node.id)", sourceLocation: sourceLocation)
                }
            }
        }
        // The graph's JSON says which cluster holds each node and each cluster.
        let clusterBoxes = Dictionary(clusters, uniquingKeysWith: { first, _ in first })
        let graph = plan.graphJSON()
        for node in graph["nodes"]?.arrayValue ?? [] {
            guard let cluster = node["cluster"]?.stringValue, let id = node["id"]?.stringValue else { continue }
            let inside = clusterBoxes[cluster].flatMap { outer in boxes[id].map { outer.contains($0) } } ?? false
            #expect(inside, "\(name): \(id) is outside its cluster \(cluster)", sourceLocation: sourceLocation)
        }
        for cluster in graph["clusters"]?.arrayValue ?? [] {
            guard let id = cluster["id"]?.stringValue, let box = clusterBoxes[id] else {
                Issue.record("\(name): a cluster is not drawn", sourceLocation: sourceLocation)
                continue
            }
            #expect(viewBox.contains(box), "\(name): \(id) is outside the picture", sourceLocation: sourceLocation)
            if let parent = cluster["parent"]?.stringValue {
                #expect(clusterBoxes[parent].map { $0.contains(box) } ?? false, "\(name): \(id) is outside \(parent)", sourceLocation: sourceLocation)
            }
        }
        for (index, cluster) in clusters.enumerated() {
            for other in clusters[(index + 1)...] {
                let nested = cluster.box.contains(other.box) || other.box.contains(cluster.box)
                #expect(nested || !cluster.box.overlaps(other.box), "\(name): \(cluster.id) and \(other.id) cross", sourceLocation: sourceLocation)
            }
        }
    }

    /// An attribute by name (looked up among all of them: `attribute(forName:)` finds none on
    /// elements in the SVG namespace on Linux).
    private static func attribute(_ element: XMLElement, _ name: String) -> String {
        element.attributes?.first { $0.name == name }?.stringValue ?? ""
    }

    /// The bounding box of the rect, ellipse or polygon of a node or cluster group.
    private static func shapeBox(of group: XMLElement) -> Box? {
        for child in group.children?.compactMap({ $0 as? XMLElement }) ?? [] {
            func number(_ name: String) -> Double { Double(attribute(child, name)) ?? 0 }
            switch child.localName {
            case "rect":
                return Box(minX: number("x"), minY: number("y"), maxX: number("x") + number("width"), maxY: number("y") + number("height"))
            case "ellipse":
                return Box(minX: number("cx") - number("rx"), minY: number("cy") - number("ry"), maxX: number("cx") + number("rx"), maxY: number("cy") + number("ry"))
            case "polygon":
                let values = attribute(child, "points").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
                let xs = stride(from: 0, to: values.count, by: 2).map { values[$0] }, ys = stride(from: 1, to: values.count, by: 2).map { values[$0] }
                return Box(minX: xs.min() ?? 0, minY: ys.min() ?? 0, maxX: xs.max() ?? 0, maxY: ys.max() ?? 0)
            default:
                continue
            }
        }
        return nil
    }
}
