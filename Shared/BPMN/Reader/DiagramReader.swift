/// Reads the diagram interchange (BPMNDI) part of a document.
enum DiagramReader {
    static func read(_ root: XMLElement) -> Diagram {
        var diagram = Diagram()
        for element in root.children("BPMNDiagram", in: Namespace.bpmndi) {
            for plane in element.children("BPMNPlane", in: Namespace.bpmndi) {
                var shapes: [Diagram.Shape] = []
                var edges: [Diagram.Edge] = []
                for child in plane.children {
                    guard child.namespace == Namespace.bpmndi, let elementId = child["bpmnElement"] else { continue }
                    let label = child.child("BPMNLabel", in: Namespace.bpmndi)?.child("Bounds", in: Namespace.dc).flatMap(bounds)
                    if child.name == "BPMNShape", let box = child.child("Bounds", in: Namespace.dc).flatMap(bounds) {
                        shapes.append(Diagram.Shape(
                            elementId: elementId, bounds: box, isExpanded: child["isExpanded"].map { $0 == "true" },
                            isHorizontal: child["isHorizontal"].map { $0 == "true" }, label: label))
                    } else if child.name == "BPMNEdge" {
                        let points = child.children("waypoint", in: Namespace.di).compactMap { point -> Diagram.Point? in
                            guard let x = point["x"].flatMap(Double.init), let y = point["y"].flatMap(Double.init) else { return nil }
                            return Diagram.Point(x: x, y: y)
                        }
                        edges.append(Diagram.Edge(elementId: elementId, waypoints: points, label: label))
                    }
                }
                diagram.planes.append(Diagram.Plane(id: plane["id"], elementId: plane["bpmnElement"], shapes: shapes, edges: edges))
            }
        }
        return diagram
    }

    private static func bounds(_ element: XMLElement) -> Diagram.Bounds? {
        guard let x = element["x"].flatMap(Double.init), let y = element["y"].flatMap(Double.init),
            let width = element["width"].flatMap(Double.init), let height = element["height"].flatMap(Double.init)
        else { return nil }
        return Diagram.Bounds(x: x, y: y, width: width, height: height)
    }
}
