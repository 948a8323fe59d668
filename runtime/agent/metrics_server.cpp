#include "runtime/agent/metrics_server.hpp"

#include <charconv>
#include <chrono>
#include <thread>

#include <httplib.h>

#include <fmt/format.h>

namespace podnetc::agent {

struct MetricsServer::Impl {
    httplib::Server server;
    std::thread thread;
    int port = 0;
};

std::optional<ListenAddress> parse_listen_address(const std::string& text, std::string& error) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        error = fmt::format("--metrics takes HOST:PORT or :PORT, not '{}'", text);
        return std::nullopt;
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    const std::string port_text = text.substr(colon + 1);
    int port = -1;
    const auto [end, failed] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || failed != std::errc() || end != port_text.data() + port_text.size() || port < 0 ||
        port > 65535) {
        error = fmt::format("--metrics: '{}' is not a port (0 to 65535)", port_text);
        return std::nullopt;
    }
    return ListenAddress{host, port};
}

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

rt::Result<std::unique_ptr<MetricsServer>> MetricsServer::start(const ListenAddress& address,
                                                                const AgentMetrics& metrics, Duration stale_after) {
    auto impl = std::make_unique<Impl>();
    impl->server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& response) {
        response.set_content(prometheus_text(metrics.values()), "text/plain; version=0.0.4; charset=utf-8");
    });
    impl->server.Get("/healthz", [&metrics, stale_after](const httplib::Request&, httplib::Response& response) {
        const double last = metrics.values().last_cycle_timestamp;
        const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        const bool alive = last > 0 && now - last <= std::chrono::duration<double>(stale_after).count();
        response.status = alive ? 200 : 503;
        response.set_content(alive ? "ok\n" : "no cycle completed recently\n", "text/plain");
    });
    impl->server.Get("/readyz", [&metrics](const httplib::Request&, httplib::Response& response) {
        const bool ready = metrics.values().last_success_timestamp > 0;
        response.status = ready ? 200 : 503;
        response.set_content(ready ? "ok\n" : "the node has not converged yet\n", "text/plain");
    });
    if (address.host.find(':') != std::string::npos) impl->server.set_address_family(AF_INET6);
    if (address.port == 0) {
        impl->port = impl->server.bind_to_any_port(address.host);
    } else if (impl->server.bind_to_port(address.host, address.port)) {
        impl->port = address.port;
    } else {
        impl->port = -1;
    }
    if (impl->port < 0) {
        return rt::fail(errno, fmt::format("listen on {}:{} for metrics", address.host, address.port));
    }
    impl->thread = std::thread([server = &impl->server] { server->listen_after_bind(); });
    return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::~MetricsServer() {
    impl_->server.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

int MetricsServer::port() const { return impl_->port; }

}  // namespace podnetc::agent
