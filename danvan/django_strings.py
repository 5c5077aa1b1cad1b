"""Django's own English strings that its Vietnamese catalogue lacks or words poorly.

Listing them here puts them in our catalogues, where locale/vi translates them; our
catalogue takes precedence over Django's. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    # Forms and validation
    gettext_noop("Enter a valid email address."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Null characters are not allowed."),
    # Django's Vietnamese says "một số tổng thể", which is not what it means.
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Please submit %d or more forms."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    # Accounts and passwords
    gettext_noop("Password-based authentication was disabled."),
    # Django 6.1's wording, which its own Vietnamese catalogue does not have yet.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    # The back office
    gettext_noop("- Select an option -"),
    # Headings read aloud by screen readers above a list's pages and a record's history.
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    ngettext_lazy("entry", "entries", 1),
    # The sign-in lockout (django-axes) and the background jobs' queue (django-tasks-db).
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("Run"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Error:"),
    # Above a form with errors; Django's Vietnamese catalogue has only the singular.
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related items will be deleted:"
    ),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]
