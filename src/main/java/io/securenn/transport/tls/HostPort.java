package io.securenn.transport.tls;

import io.securenn.SecureNnException;

/** host:port, with IPv6 literals in brackets ([::1]:7000). */
public record HostPort(String host, int port) {

    /** @param what names the value in the error message (e.g. "cluster.properties line 3") */
    public static HostPort parse(String s, String what) {
        String t = s.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw SecureNnException.badInput(what + ": '" + t + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) {
            throw SecureNnException.badInput(what + ": write an IPv6 address in brackets, like [::1]:7000");
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '/')) {
            throw SecureNnException.badInput(what + ": '" + t + "' has no valid host name");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw SecureNnException.badInput(what + ": port '" + t.substring(colon + 1) + "' is not a number");
        }
        if (port < 1 || port > 65535) throw SecureNnException.badInput(what + ": port " + port + " is not in 1..65535");
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
