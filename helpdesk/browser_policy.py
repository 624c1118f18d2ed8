"""What the browser may do on the helpdesk's pages: the Content-Security-Policy and the
browser features switched off (read by ``helpdesk.settings``; plain data, no Django set-up)."""

from csp.constants import NONE, SELF

# Only this site's own files run: the templates carry no inline script, event handler
# or style, so an injected <script> or style="" is refused by the browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features no page of the helpdesk uses, switched off for every page (and
# so for any script that gets in): sent by helpdesk.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
