/*
 * floor: the "plain C" reference row of tools/bench. It builds the same N-pod topology
 * as podnetc (route or bridge mode) with only the syscalls that are strictly necessary:
 *
 *   - netns: per pod unshare(CLONE_NEWNET), open the pod's rtnetlink socket while inside,
 *     bind-mount /proc/self/ns/net to /run/netns/pod-N, setns back to the root netns;
 *   - one RTM_NEWLINK per veth: host end UP (+ MAC, + master, + link group), the peer
 *     named eth0 with ifindex 2 placed directly in the pod (IFLA_NET_NS_FD);
 *   - in every pod, lo up (as podnetc and a Kubernetes pod have it) with eth0's requests;
 *   - every message of a phase in one sendmsg (large SO_SNDBUF/SO_RCVBUF, capped acks),
 *     the per-pod batches sent to all pod sockets before any ack is read;
 *   - teardown: one RTM_DELLINK for the whole link group, then umount + unlink per pod.
 *
 * No parsing, no diffing, no journal: a lower bound, not a tool.
 *
 *   floor setup    route|bridge N FIRST_ADDR PREFIXLEN GATEWAY GROUP
 *   floor teardown route|bridge N GROUP
 *
 * Pods are pod-1..pod-N with addresses FIRST_ADDR, FIRST_ADDR+1, ...; host veths
 * veth1..vethN; the bridge (bridge mode) is cbr0 and owns GATEWAY/PREFIXLEN. In route
 * mode GATEWAY is the link-local next hop (169.254.1.1) answered by a static neighbour.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LO_IFINDEX 1
#define POD_IFINDEX 2 /* eth0 in a fresh netns: lo is 1 */
#define BRIDGE "cbr0"
#define NETNS_DIR "/run/netns"

static const uint8_t route_host_mac[6] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee};

struct batch {
    char *buf;
    size_t len, cap;
    unsigned count; /* messages, each one ack */
    uint32_t seq;
};

struct pod {
    int nsfd;
    struct mnl_socket *nl;
    unsigned host_ifindex;
};

static int fail(const char *what) {
    fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
    return -1;
}

static void batch_init(struct batch *b, size_t cap) {
    b->buf = malloc(cap);
    if (!b->buf) abort();
    b->cap = cap;
    b->len = 0;
    b->count = 0;
    b->seq = 1;
}

/* Starts a request with room for up to 1 KiB of attributes. */
static struct nlmsghdr *batch_put(struct batch *b, uint16_t type, uint16_t flags) {
    if (b->cap - b->len < 1024) {
        b->cap *= 2;
        b->buf = realloc(b->buf, b->cap);
        if (!b->buf) abort();
    }
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(b->buf + b->len);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    nlh->nlmsg_seq = b->seq++;
    return nlh;
}

static void batch_end(struct batch *b, struct nlmsghdr *nlh) {
    b->len += NLMSG_ALIGN(nlh->nlmsg_len);
    b->count++;
}

static void batch_reset(struct batch *b) {
    b->len = 0;
    b->count = 0;
}

static int set_buffers(struct mnl_socket *nl, int bytes) {
    int fd = mnl_socket_get_fd(nl);
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) < 0 ||
        setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one) < 0)
        return fail("setsockopt");
    return 0;
}

static struct mnl_socket *open_socket(void) {
    struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        fail("netlink socket");
        return NULL;
    }
    return nl;
}

static int send_batch(struct mnl_socket *nl, const struct batch *b) {
    if (b->len == 0) return 0;
    if (mnl_socket_sendto(nl, b->buf, b->len) < 0) return fail("sendmsg");
    return 0;
}

/* Reads `count` acks; reports every failed one. Returns the number of failures or -1. */
static int read_acks(struct mnl_socket *nl, unsigned count, const char *where) {
    static char buf[1 << 16];
    int failures = 0;
    while (count > 0) {
        ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (got < 0) return fail("recvmsg");
        int n = (int)got;
        for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
             nlh = mnl_nlmsg_next(nlh, &n)) {
            if (nlh->nlmsg_type != NLMSG_ERROR) continue;
            const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
            if (err->error != 0) {
                fprintf(stderr, "floor: %s: request %u: %s\n", where, nlh->nlmsg_seq,
                        strerror(-err->error));
                failures++;
            }
            count--;
        }
    }
    return failures;
}

static int exchange(struct mnl_socket *nl, struct batch *b, const char *where) {
    if (send_batch(nl, b) < 0) return -1;
    int failures = read_acks(nl, b->count, where);
    batch_reset(b);
    return failures == 0 ? 0 : -1;
}

static int create_netns(const char *name, int rootfd, struct pod *pod) {
    char path[64];
    snprintf(path, sizeof path, NETNS_DIR "/%s", name);
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
    if (fd < 0) return fail(path);
    close(fd);
    if (unshare(CLONE_NEWNET) < 0) return fail("unshare");
    pod->nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (pod->nsfd < 0) return fail("open netns");
    pod->nl = open_socket(); /* opened inside: it talks to the pod's netns for good */
    if (!pod->nl) return -1;
    if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) return fail(path);
    if (setns(rootfd, CLONE_NEWNET) < 0) return fail("setns root");
    return 0;
}

static void put_veth(struct batch *b, int i, const struct pod *pod, int route_mode,
                     unsigned bridge_ifindex, uint32_t group) {
    char name[IFNAMSIZ];
    snprintf(name, sizeof name, "veth%d", i);
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_GROUP, group);
    if (route_mode) mnl_attr_put(nlh, IFLA_ADDRESS, sizeof route_host_mac, route_host_mac);
    if (bridge_ifindex) mnl_attr_put_u32(nlh, IFLA_MASTER, bridge_ifindex);
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    struct ifinfomsg *pfm = mnl_nlmsg_put_extra_header(nlh, sizeof *pfm);
    pfm->ifi_family = AF_UNSPEC;
    pfm->ifi_index = POD_IFINDEX; /* IFF_UP here would fail (ENOTCONN): up inside the pod */
    mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)pod->nsfd);
    mnl_attr_nest_end(nlh, peer);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);
    batch_end(b, nlh);
}

static void put_addr(struct batch *b, unsigned ifindex, uint32_t addr, int prefixlen) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = (unsigned char)prefixlen;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = ifindex;
    mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
    mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
    batch_end(b, nlh);
}

static void put_route(struct batch *b, uint32_t dst, int dst_len, uint32_t gateway,
                      unsigned oif) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = (unsigned char)dst_len;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    rtm->rtm_type = RTN_UNICAST;
    if (dst_len) mnl_attr_put_u32(nlh, RTA_DST, dst);
    if (gateway) mnl_attr_put_u32(nlh, RTA_GATEWAY, gateway);
    mnl_attr_put_u32(nlh, RTA_OIF, oif);
    batch_end(b, nlh);
}

static void put_link_up(struct batch *b, unsigned ifindex) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWLINK, 0);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = (int)ifindex;
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    batch_end(b, nlh);
}

/* proxy_arp=1 and forwarding=1 on one interface (no global ip_forward needed). */
static void put_devconf(struct batch *b, unsigned ifindex) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWLINK, 0);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = (int)ifindex;
    struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
    struct nlattr *inet = mnl_attr_nest_start(nlh, AF_INET);
    struct nlattr *conf = mnl_attr_nest_start(nlh, IFLA_INET_CONF);
    mnl_attr_put_u32(nlh, IPV4_DEVCONF_FORWARDING, 1);
    mnl_attr_put_u32(nlh, IPV4_DEVCONF_PROXY_ARP, 1);
    mnl_attr_nest_end(nlh, conf);
    mnl_attr_nest_end(nlh, inet);
    mnl_attr_nest_end(nlh, spec);
    batch_end(b, nlh);
}

static void put_proxy_delay_zero(struct batch *b, unsigned ifindex) {
    struct nlmsghdr *nlh = batch_put(b, RTM_SETNEIGHTBL, 0);
    struct ndtmsg *ndtm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndtm);
    ndtm->ndtm_family = AF_INET;
    mnl_attr_put_strz(nlh, NDTA_NAME, "arp_cache");
    struct nlattr *parms = mnl_attr_nest_start(nlh, NDTA_PARMS);
    mnl_attr_put_u32(nlh, NDTPA_IFINDEX, ifindex);
    mnl_attr_put_u64(nlh, NDTPA_PROXY_DELAY, 0);
    mnl_attr_nest_end(nlh, parms);
    batch_end(b, nlh);
}

static void put_neigh(struct batch *b, unsigned ifindex, uint32_t dst, const uint8_t mac[6]) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL);
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = AF_INET;
    ndm->ndm_ifindex = (int)ifindex;
    ndm->ndm_state = NUD_PERMANENT;
    mnl_attr_put_u32(nlh, NDA_DST, dst);
    mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
    batch_end(b, nlh);
}

/* The bridge: created, then its ifindex asked for by name (one extra round trip). */
static int create_bridge(struct mnl_socket *nl, struct batch *b, uint32_t group,
                         unsigned *ifindex) {
    struct nlmsghdr *nlh = batch_put(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_flags = IFF_UP;
    ifm->ifi_change = IFF_UP;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, BRIDGE);
    mnl_attr_put_u32(nlh, IFLA_GROUP, group);
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(nlh, linkinfo);
    batch_end(b, nlh);
    if (exchange(nl, b, "create bridge") < 0) return -1;
    *ifindex = if_nametoindex(BRIDGE);
    if (*ifindex == 0) return fail("if_nametoindex " BRIDGE);
    return 0;
}

struct ifindex_map {
    struct pod *pods;
    int count;
};

static int link_cb(const struct nlmsghdr *nlh, void *data) {
    struct ifindex_map *map = data;
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *attr;
    mnl_attr_for_each(attr, nlh, sizeof *ifm) {
        if (mnl_attr_get_type(attr) != IFLA_IFNAME) continue;
        const char *name = mnl_attr_get_str(attr);
        if (strncmp(name, "veth", 4) != 0) break;
        char *end;
        long i = strtol(name + 4, &end, 10);
        if (*end == '\0' && i >= 1 && i <= map->count) map->pods[i - 1].host_ifindex = (unsigned)ifm->ifi_index;
        break;
    }
    return MNL_CB_OK;
}

/* One RTM_GETLINK dump of the root netns gives every host veth's ifindex. */
static int learn_host_ifindexes(struct mnl_socket *nl, struct pod *pods, int n) {
    char req[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
    nlh->nlmsg_type = RTM_GETLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = (uint32_t)time(NULL);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) return fail("dump links");
    struct ifindex_map map = {pods, n};
    static char buf[1 << 16];
    for (;;) {
        ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (len < 0) return fail("dump links");
        int ret = mnl_cb_run(buf, (size_t)len, nlh->nlmsg_seq, mnl_socket_get_portid(nl),
                             link_cb, &map);
        if (ret < 0) return fail("dump links");
        if (ret == MNL_CB_STOP) break;
    }
    for (int i = 0; i < n; i++) {
        if (pods[i].host_ifindex == 0) {
            fprintf(stderr, "floor: veth%d missing after create\n", i + 1);
            return -1;
        }
    }
    return 0;
}

static int setup(int route_mode, int n, uint32_t first, int prefixlen, uint32_t gateway,
                 uint32_t group) {
    int rootfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (rootfd < 0) return fail("open root netns");
    struct mnl_socket *root = open_socket();
    if (!root || set_buffers(root, 32 << 20) < 0) return -1;
    struct pod *pods = calloc((size_t)n, sizeof *pods);
    if (!pods) abort();
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "pod-%d", i + 1);
        if (create_netns(name, rootfd, &pods[i]) < 0) return -1;
    }

    struct batch b;
    batch_init(&b, (size_t)n * 512 + 4096);
    unsigned bridge_ifindex = 0;
    if (!route_mode) {
        if (create_bridge(root, &b, group, &bridge_ifindex) < 0) return -1;
        put_addr(&b, bridge_ifindex, gateway, prefixlen);
    }
    for (int i = 0; i < n; i++) put_veth(&b, i + 1, &pods[i], route_mode, bridge_ifindex, group);
    if (exchange(root, &b, "create veths") < 0) return -1;

    if (route_mode) {
        if (learn_host_ifindexes(root, pods, n) < 0) return -1;
        for (int i = 0; i < n; i++) {
            put_devconf(&b, pods[i].host_ifindex);
            put_proxy_delay_zero(&b, pods[i].host_ifindex);
            put_route(&b, htonl(ntohl(first) + (uint32_t)i), 32, 0, pods[i].host_ifindex);
        }
        if (exchange(root, &b, "host side") < 0) return -1;
    }

    /* Every pod's batch goes out before any ack is read. */
    struct batch *pb = calloc((size_t)n, sizeof *pb);
    if (!pb) abort();
    for (int i = 0; i < n; i++) {
        batch_init(&pb[i], 2048);
        uint32_t addr = htonl(ntohl(first) + (uint32_t)i);
        put_addr(&pb[i], POD_IFINDEX, addr, route_mode ? 32 : prefixlen);
        put_link_up(&pb[i], LO_IFINDEX);
        put_link_up(&pb[i], POD_IFINDEX);
        if (route_mode) {
            put_neigh(&pb[i], POD_IFINDEX, gateway, route_host_mac);
            put_route(&pb[i], gateway, 32, 0, POD_IFINDEX);
        }
        put_route(&pb[i], 0, 0, gateway, POD_IFINDEX);
        if (send_batch(pods[i].nl, &pb[i]) < 0) return -1;
    }
    int failures = 0;
    for (int i = 0; i < n; i++) {
        char where[32];
        snprintf(where, sizeof where, "pod-%d", i + 1);
        int r = read_acks(pods[i].nl, pb[i].count, where);
        if (r != 0) failures++;
        mnl_socket_close(pods[i].nl);
        close(pods[i].nsfd);
        free(pb[i].buf);
    }
    free(pb);
    free(pods);
    free(b.buf);
    mnl_socket_close(root);
    close(rootfd);
    return failures == 0 ? 0 : -1;
}

static int teardown(int n, uint32_t group) {
    struct mnl_socket *root = open_socket();
    if (!root) return -1;
    struct batch b;
    batch_init(&b, 4096);
    struct nlmsghdr *nlh = batch_put(&b, RTM_DELLINK, 0);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_u32(nlh, IFLA_GROUP, group);
    batch_end(&b, nlh);
    int status = exchange(root, &b, "delete link group");
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, NETNS_DIR "/pod-%d", i + 1);
        if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0) status = fail(path);
    }
    free(b.buf);
    mnl_socket_close(root);
    return status;
}

static int parse_mode(const char *s, int *route_mode) {
    if (strcmp(s, "route") == 0) *route_mode = 1;
    else if (strcmp(s, "bridge") == 0) *route_mode = 0;
    else return -1;
    return 0;
}

int main(int argc, char **argv) {
    const char *usage =
        "usage: floor setup route|bridge N FIRST_ADDR PREFIXLEN GATEWAY GROUP\n"
        "       floor teardown route|bridge N GROUP\n";
    int route_mode;
    if (argc == 8 && strcmp(argv[1], "setup") == 0 && parse_mode(argv[2], &route_mode) == 0) {
        struct in_addr first, gateway;
        int n = atoi(argv[3]), prefixlen = atoi(argv[5]);
        if (n < 1 || inet_pton(AF_INET, argv[4], &first) != 1 ||
            inet_pton(AF_INET, argv[6], &gateway) != 1 || prefixlen < 1 || prefixlen > 32) {
            fputs(usage, stderr);
            return 64;
        }
        uint32_t group = (uint32_t)strtoul(argv[7], NULL, 10);
        return setup(route_mode, n, first.s_addr, prefixlen, gateway.s_addr, group) == 0 ? 0 : 1;
    }
    if (argc == 5 && strcmp(argv[1], "teardown") == 0 && parse_mode(argv[2], &route_mode) == 0) {
        int n = atoi(argv[3]);
        if (n < 1) {
            fputs(usage, stderr);
            return 64;
        }
        return teardown(n, (uint32_t)strtoul(argv[4], NULL, 10)) == 0 ? 0 : 1;
    }
    fputs(usage, stderr);
    return 64;
}
