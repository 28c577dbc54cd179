/// Draws a process from its diagram interchange as SVG, for the cartable: each event, task and
/// gateway where the modeller put it, with the steps an instance finished and the ones it is
/// at marked. Only what the model says is drawn; a model without a diagram draws nothing.
public enum DiagramSVG {
    public struct Marks: Sendable {
        public var finished: Set<String>
        public var current: Set<String>
        public init(finished: Set<String> = [], current: Set<String> = []) {
            self.finished = finished
            self.current = current
        }
    }

    /// The SVG of the plane that shows `process`, or nil when the document has none.
    public static func render(_ definitions: Definitions, process: ProcessModel, marks: Marks = Marks()) -> String? {
        guard let plane = definitions.diagram.planes.first(where: { plane in plane.shapes.contains { process.nodes[$0.elementId] != nil } }) else {
            return nil
        }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        func include(_ x: Double, _ y: Double) {
            (minX, minY, maxX, maxY) = (min(minX, x), min(minY, y), max(maxX, x), max(maxY, y))
        }
        for box in plane.shapes.flatMap({ [$0.bounds, $0.label] }).compactMap({ $0 }) + plane.edges.compactMap(\.label) {
            include(box.x, box.y)
            include(box.x + box.width, box.y + box.height)
        }
        for edge in plane.edges { for point in edge.waypoints { include(point.x, point.y) } }
        let margin = 10.0
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="bpmn" role="img" aria-label="\(escape(process.name ?? process.id))" \
            viewBox="\(number(minX - margin)) \(number(minY - margin)) \(number(maxX - minX + 2 * margin)) \(number(maxY - minY + 2 * margin))">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">\
            <path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>

            """
        // Containers first (pools, lanes, expanded sub-processes), so what they hold is drawn on top.
        let ordered = plane.shapes.sorted { area($0) > area($1) }
        for shape in ordered {
            svg += drawShape(shape, node: process.nodes[shape.elementId], marks: marks)
        }
        for edge in plane.edges where edge.waypoints.count >= 2 {
            let points = edge.waypoints.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
            let done = marks.finished.contains(edge.elementId) ? " finished" : ""
            svg += "<polyline class=\"flow\(done)\" points=\"\(points)\" marker-end=\"url(#arrow)\"/>\n"
            if let name = process.flows[edge.elementId]?.name, let label = edge.label {
                svg += text(name, in: label, className: "label")
            }
        }
        return svg + "</svg>"
    }

    private static func area(_ shape: Diagram.Shape) -> Double { shape.bounds.width * shape.bounds.height }

    private static func drawShape(_ shape: Diagram.Shape, node: FlowNode?, marks: Marks) -> String {
        let b = shape.bounds
        let id = shape.elementId
        let state = marks.current.contains(id) ? " current" : marks.finished.contains(id) ? " finished" : ""
        let title = "<title>\(escape(node?.name ?? id))</title>"
        guard let node else {
            // A pool, a lane, or an element the engine does not run (a text annotation, a data object).
            return "<rect class=\"container\" x=\"\(number(b.x))\" y=\"\(number(b.y))\" width=\"\(number(b.width))\" height=\"\(number(b.height))\"/>\n"
        }
        let cx = b.x + b.width / 2, cy = b.y + b.height / 2
        var out = "<g class=\"node \(node.kind.rawValue)\(state)\" data-element=\"\(escape(id))\">\(title)"
        switch node.kind {
        case .startEvent, .endEvent, .intermediateCatchEvent, .intermediateThrowEvent, .boundaryEvent:
            let r = min(b.width, b.height) / 2
            out += "<circle cx=\"\(number(cx))\" cy=\"\(number(cy))\" r=\"\(number(r))\"/>"
            if node.kind == .intermediateCatchEvent || node.kind == .intermediateThrowEvent || node.kind == .boundaryEvent {
                out += "<circle class=\"inner\" cx=\"\(number(cx))\" cy=\"\(number(cy))\" r=\"\(number(r - 3))\"/>"
            }
            if let symbol = symbol(node.trigger) { out += "<text class=\"symbol\" x=\"\(number(cx))\" y=\"\(number(cy + 4))\">\(symbol)</text>" }
            if let name = node.name { out += text(name, in: shape.label ?? Diagram.Bounds(x: b.x - 30, y: b.y + b.height + 4, width: b.width + 60, height: 14), className: "label") }
        case .exclusiveGateway, .parallelGateway, .inclusiveGateway, .eventBasedGateway:
            out += "<polygon points=\"\(number(cx)),\(number(b.y)) \(number(b.x + b.width)),\(number(cy)) \(number(cx)),\(number(b.y + b.height)) \(number(b.x)),\(number(cy))\"/>"
            let marker = ["exclusiveGateway": "×", "parallelGateway": "+", "inclusiveGateway": "○", "eventBasedGateway": "⬠"][node.kind.rawValue] ?? ""
            out += "<text class=\"symbol\" x=\"\(number(cx))\" y=\"\(number(cy + 6))\">\(marker)</text>"
            if let name = node.name { out += text(name, in: shape.label ?? Diagram.Bounds(x: b.x - 30, y: b.y + b.height + 4, width: b.width + 60, height: 14), className: "label") }
        default:
            out += "<rect x=\"\(number(b.x))\" y=\"\(number(b.y))\" width=\"\(number(b.width))\" height=\"\(number(b.height))\" rx=\"10\"/>"
            if node.kind == .userTask {
                // A person: head and shoulders, drawn rather than a glyph a font may lack.
                let (x, y) = (b.x + 12, b.y + 9)
                out += "<g class=\"icon\"><circle cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"3.5\"/><path d=\"M\(number(x - 6)),\(number(y + 11)) a6,6 0 0 1 12,0 z\"/></g>"
            } else if let icon = ["serviceTask": "⚙", "sendTask": "✉", "receiveTask": "✉", "scriptTask": "✎", "businessRuleTask": "▦",
                "callActivity": "⊞", "manualTask": "✋"][node.kind.rawValue]
            {
                out += "<text class=\"icon\" x=\"\(number(b.x + 6))\" y=\"\(number(b.y + 16))\">\(icon)</text>"
            }
            out += text(node.name ?? "", in: Diagram.Bounds(x: b.x + 4, y: b.y + 4, width: b.width - 8, height: b.height - 8), className: "name", centred: true)
        }
        return out + "</g>\n"
    }

    private static func symbol(_ trigger: EventTrigger?) -> String? {
        switch trigger {
        case .message?: "✉"
        case .timer?: "◷"
        case .signal?: "△"
        case .error?: "ϟ"
        case .escalation?: "⇑"
        case .terminate?: "●"
        case .link?: "→"
        case .none?, nil: nil
        }
    }

    /// Text wrapped to the box's width (about 6.5 units a character at the drawing's size).
    private static func text(_ content: String, in box: Diagram.Bounds, className: String, centred: Bool = false) -> String {
        let perLine = max(4, Int(box.width / 6.5))
        var lines: [String] = []
        var line = ""
        for word in content.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > perLine {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        let lineHeight = 13.0
        let top = centred ? box.y + box.height / 2 - Double(lines.count - 1) * lineHeight / 2 + 4 : box.y + 10
        let x = box.x + box.width / 2
        return lines.enumerated().map { index, line in
            "<text class=\"\(className)\" x=\"\(number(x))\" y=\"\(number(top + Double(index) * lineHeight))\">\(escape(line))</text>"
        }.joined()
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(Double(Int(value * 10)) / 10)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
