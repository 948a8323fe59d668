#!/usr/bin/env python3
"""plan_ops.py PLAN.json: a plan (`podnetc plan --json`) as one line per operation,
"REASON KIND OBJECT [| DETAIL]", then one line per conflict, "conflict MESSAGE";
for tests that compare a plan with an expected listing."""
import json
import sys


def where(netns, name):
    return f"{netns}/{name}" if netns else name


def describe(step):
    o = step["object"]
    kind = step["kind"]
    if kind.endswith("_netns"):
        return o["name"]
    if kind == "create_link":
        return where(o["end"]["netns"], o["end"]["name"])
    if kind in ("change_link", "delete_link"):
        fields = [f"{k}={json.dumps(v)}" for k, v in o.items() if k not in ("netns", "name") and v is not None]
        return " ".join([where(o["netns"], o["name"])] + fields)
    if kind == "set_neigh_parms":
        return f"{where(o['netns'], o['dev'])} proxy_delay_ms={o['proxy_delay_ms']}"
    if kind.endswith("_address"):
        return f"{o['local']} dev {where(o['netns'], o['dev'])} protocol {o['protocol']}"
    if kind.endswith("_route"):
        via = f" via {o['gateway']}" if o["gateway"] else ""
        return f"{o['dst']}{via} dev {where(o['netns'], o['dev'])} protocol {o['protocol']}"
    if kind.endswith("_neighbor"):
        return f"{o['dst']} dev {where(o['netns'], o['dev'])} protocol {o['protocol']}"
    return json.dumps(o, sort_keys=True)


def main():
    plan = json.load(open(sys.argv[1]))
    for op in plan["ops"]:
        detail = f" | {op['detail']}" if op["detail"] else ""
        print(f"{op['reason']} {op['step']['kind']} {describe(op['step'])}{detail}")
    for conflict in plan["conflicts"]:
        print(f"conflict {conflict['message']}")


if __name__ == "__main__":
    main()
