"""The page's icon, drawn here and sent inline (a data: address): the browser fetches nothing
from another host for it. (A ``:material/…:`` page icon makes Streamlit's frontend fetch the
picture from fonts.gstatic.com: councils block outside requests, and each one is a privacy leak.)

Three people, in the app's primary colour. No Streamlit here.
"""

from __future__ import annotations

PAGE_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g fill="#b02a37">'
    '<circle cx="12" cy="6.5" r="3.2"/><circle cx="4.8" cy="9" r="2.5"/><circle cx="19.2" cy="9" r="2.5"/>'
    '<path d="M6.3 21v-2.6c0-3.3 2.6-5.6 5.7-5.6s5.7 2.3 5.7 5.6V21z"/>'
    '<path d="M0.5 21v-1.9c0-2.5 2-4.4 4.5-4.4.7 0 1.4.1 2 .4-.9 1-1.5 2.4-1.5 3.9V21z"/>'
    '<path d="M23.5 21v-1.9c0-2.5-2-4.4-4.5-4.4-.7 0-1.4.1-2 .4.9 1 1.5 2.4 1.5 3.9V21z"/>'
    "</g></svg>"
)
