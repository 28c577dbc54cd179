"""Adds a diagram (BPMN DI) to a model written by hand without one, so that Camunda Modeler
opens it and the cartable draws it. Steps go left to right in the order of the flow; a branch
or a boundary event's path goes on a row below. A model that has a diagram is left alone unless
--replace is given.

    python3 deploy/tools/bpmn_layout.py deploy/processes/meter-replacement.bpmn [--replace]
"""
import re
import sys
import xml.etree.ElementTree as ET

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SIZES = {"task": (120, 80), "event": (36, 36), "gateway": (50, 50)}
KINDS = {
    "startEvent": "event", "endEvent": "event", "intermediateCatchEvent": "event", "intermediateThrowEvent": "event", "boundaryEvent": "event",
    "exclusiveGateway": "gateway", "parallelGateway": "gateway", "inclusiveGateway": "gateway", "eventBasedGateway": "gateway",
}
COLUMN, ROW, LEFT, TOP = 180, 140, 160, 100


def layout(text):
    root = ET.fromstring(text)
    process = root.find(f"{{{BPMN}}}process")
    nodes, flows, boundaries = {}, [], {}
    for child in process:
        tag = child.tag.split("}")[1]
        if tag == "sequenceFlow":
            flows.append((child.get("id"), child.get("sourceRef"), child.get("targetRef")))
        elif tag in ("extensionElements", "documentation", "laneSet", "dataObject"):
            continue
        else:
            nodes[child.get("id")] = KINDS.get(tag, "task")
            if tag == "boundaryEvent":
                boundaries[child.get("id")] = child.get("attachedToRef")
    outgoing = {n: [] for n in nodes}
    for _, source, target in flows:
        outgoing[source].append(target)

    # Columns: the longest path from a start event, a flow back to a step already on the path
    # being a loop. Rows: depth-first, a node's first way on stays on its row, the others below.
    loops, depth = set(), {}

    def find_loops(node, path):
        for target in outgoing[node] + [b for b, h in boundaries.items() if h == node]:
            if target in path:
                loops.add((node, target))
            elif target not in visited:
                visited.add(target)
                find_loops(target, path | {target})

    starts = [n for n in nodes if n not in {t for _, _, t in flows} and n not in boundaries]
    visited = set(starts)
    for start in starts:
        find_loops(start, {start})

    def longest(node):
        if node not in depth:
            before = [s for _, s, t in flows if t == node and (s, node) not in loops]
            if node in boundaries:
                depth[node] = longest(boundaries[node])
            else:
                depth[node] = max([longest(b) + 1 for b in before], default=0)
        return depth[node]

    column = {n: longest(n) for n in nodes}
    row, taken = {}, set()

    def place(node, r):
        while (column[node], r) in taken:
            r += 1
        row[node] = r
        taken.add((column[node], r))
        return r

    def walk(node, r):
        r = place(node, r)
        # A boundary event's path just under its task, then the flow on, branches below it.
        for boundary, host in boundaries.items():
            if host == node and boundary not in row:
                row[boundary] = r
                for target in outgoing[boundary]:
                    if target not in row:
                        walk(target, r + 1)
        first = True
        for target in outgoing[node]:
            if target not in row:
                walk(target, r if first else r + 1)
                first = False

    for start in starts:
        walk(start, max([r + 1 for r in row.values()], default=0))

    def bounds(node):
        kind = nodes[node]
        width, height = SIZES[kind]
        cx, cy = LEFT + column[node] * COLUMN + 60, TOP + row[node] * ROW + 40
        if node in boundaries:
            host_x, host_y = LEFT + column[boundaries[node]] * COLUMN, TOP + row[boundaries[node]] * ROW
            siblings = [b for b, h in boundaries.items() if h == boundaries[node]]
            return host_x + 20 + 44 * siblings.index(node), host_y + 62, width, height
        return cx - width / 2, cy - height / 2, width, height

    lines = [f'  <bpmndi:BPMNDiagram id="{process.get("id")}-diagram">',
             f'    <bpmndi:BPMNPlane id="{process.get("id")}-plane" bpmnElement="{process.get("id")}">']
    for node in nodes:
        if node not in row:
            raise SystemExit(f"{node} is not reached from a start event")
        x, y, w, h = bounds(node)
        lines.append(f'      <bpmndi:BPMNShape id="{node}-shape" bpmnElement="{node}"><dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}"/></bpmndi:BPMNShape>')
    for flow, source, target in flows:
        sx, sy, sw, sh = bounds(source)
        tx, ty, tw, th = bounds(target)
        if source in boundaries and column[target] > column[source]:
            points = [(sx + sw / 2, sy + sh), (sx + sw / 2, ty + th / 2), (tx, ty + th / 2)]
        elif column[target] > column[source] + 1 and row[target] == row[source]:
            # Past the steps between: over them.
            above = sy - 30
            points = [(sx + sw / 2, sy), (sx + sw / 2, above), (tx + tw / 2, above), (tx + tw / 2, ty)]
        elif column[target] > column[source]:
            start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
            points = [start, end] if start[1] == end[1] else [start, ((start[0] + end[0]) / 2, start[1]), ((start[0] + end[0]) / 2, end[1]), end]
        else:
            # Back to an earlier step: under both, then up into the target.
            below = max(sy + sh, ty + th) + 30
            points = [(sx + sw / 2, sy + sh), (sx + sw / 2, below), (tx + tw / 2, below), (tx + tw / 2, ty + th)]
        waypoints = "".join(f'<di:waypoint x="{x:.0f}" y="{y:.0f}"/>' for x, y in points)
        lines.append(f'      <bpmndi:BPMNEdge id="{flow}-edge" bpmnElement="{flow}">{waypoints}</bpmndi:BPMNEdge>')
    lines += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>"]
    return "\n".join(lines)


def main():
    path, replace = sys.argv[1], "--replace" in sys.argv
    text = open(path, encoding="utf-8").read()
    if "<bpmndi:BPMNDiagram" in text:
        if not replace:
            print(f"{path} already has a diagram")
            return
        text = re.sub(r"\s*<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", "", text, flags=re.S)
    diagram = layout(text)
    text = text.replace("</definitions>", "\n" + diagram + "\n</definitions>")
    open(path, "w", encoding="utf-8").write(text)
    print(f"{path}: diagram added")


if __name__ == "__main__":
    main()
