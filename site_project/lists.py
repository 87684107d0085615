"""What the public list pages share: the template an htmx request gets (django-htmx sets
`request.htmx`), and how their GET filter forms read a value that may have been dropped."""

import re

from django import forms
from django.utils.datastructures import MultiValueDict

# Characters a page must not carry (the HTML standard calls them parse errors): C0 and C1 controls but
# the white space HTML allows, and the noncharacters of the first plane; and the invisible ones that
# would hide or reorder what a reader reads (zero-width spaces and joiners, direction marks and
# overrides, the byte order mark).
UNSHOWABLE = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
REPLACEMENT = "\ufffd"  # �, as a browser shows a character it cannot


def showable(value):
    """A reader's text as the page repeats it: each character no page may carry (a %00 in the address
    arrives as a NUL, a %1b as an escape) shown as �, so "gaba%00pentin" is never read as "gabapentin"."""
    return UNSHOWABLE.sub(REPLACEMENT, str(value))


def showable_data(data):
    """A copy of a form's data (a QueryDict, or a dict in tests) with every value showable."""
    if not isinstance(data, MultiValueDict):
        return {name: showable(value) if isinstance(value, str) else value for name, value in data.items()}
    data = data.copy()
    for name, values in data.lists():
        data.setlist(name, [showable(value) for value in values])
    return data


def echo(value, length=40):
    """What a reader sent, as a notice repeats it: showable, cut to `length` characters."""
    return showable(value)[:length]


def echo_list(values, most=5):
    """Several of a reader's values, quoted, the first `most` of them: “a”, “b” and 3 more."""
    names = ", ".join(f"“{echo(value)}”" for value in values[:most])
    return names + (f" and {len(values) - most} more" if len(values) > most else "")


def fragment_or_page(request, template, partial):
    """The partial for an htmx request; the whole page otherwise, and for a history restore."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


class CleanedValueMixin:
    """For a filter form whose invalid values are dropped, not fatal: read one field at a time."""

    def value(self, name, default=None):
        """A cleaned value, or the default when the field was missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


def filter_field(field_class, label, ignored, **options):
    """An optional field of a FilterForm; `ignored` is the reader's notice when its value is dropped."""
    return field_class(label=label, required=False, error_messages={"ignored": ignored}, **options)


def repeatable_filter(label, ignored, **options):
    """A filter of checkboxes (?group=a&group=b); FilterForm drops its unknown values one by one."""
    return filter_field(forms.MultipleChoiceField, label, ignored, widget=forms.CheckboxSelectMultiple, **options)


class FilterBoundField(forms.BoundField):
    """A filter's control: no per-field message is written (the form's notices say what was
    dropped), so it points only at its hint, and is marked invalid only while it still shows
    the dropped value."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.name not in self.form.data:
            attrs.pop("aria-invalid", None)
        return attrs

    @property
    def aria_describedby(self):
        return f"{self.auto_id}_helptext" if self.help_text else None


class FilterForm(CleanedValueMixin, forms.Form):
    """A list page's GET filter form: a value the server cannot use is dropped with a notice for
    the reader, never an error page, so a mangled shared link still shows the list.

    Each field's notice is its `error_messages["ignored"]` (`filter_field()`, `repeatable_filter()`):
    - a repeatable field (MultipleChoiceField: checkboxes) drops unknown values one by one before
      validation, so ?group=nuts&group=typo keeps "nuts" (a value repeated counts once); its notice
      names them with `{names}` (quoted, one notice) or `{value}` (one notice a value);
    - any other field whose value fails validation is dropped whole; its notice may name the
      submitted `{value}`. A form with more to say overrides `invalid_notice()`.
    `choices` ({field: choices}) are set before unknown values are dropped. `notices` is a
    property, right before or after `apply()`, whichever the view calls first."""

    bound_field_class = FilterBoundField

    def __init__(self, data=None, choices=None):
        data = data.copy() if data is not None else None
        super().__init__(data)
        for name, options in (choices or {}).items():
            self.fields[name].choices = options
        self.unknown = {}
        for name, field in self.fields.items():
            if data is not None and isinstance(field, forms.MultipleChoiceField):
                requested = data.getlist(name)
                # The choices only when some are asked for: they may be a query (FoodFilterForm's groups).
                known = {str(value) for value, _ in field.choices} if requested else set()
                self.unknown[name] = list(dict.fromkeys(value for value in requested if value not in known))
                data.setlist(name, list(dict.fromkeys(value for value in requested if value in known)))

    def full_clean(self):
        super().full_clean()
        # A dropped number is not written back into its box: a browser refuses to submit a form
        # whose number box breaks its min (and the filter was ignored anyway).
        for name in self.errors:
            if isinstance(self.fields[name].widget, forms.NumberInput):
                self.data.pop(name, None)
        if not self.is_bound:
            return
        # Nor is a character no page may carry written back, into a box or into the page's words
        # ("No articles match “…”"): each is shown as � (a NUL is still refused with its notice).
        self.data = showable_data(self.data)
        for name, value in self.cleaned_data.items():
            if isinstance(value, str):
                self.cleaned_data[name] = showable(value)

    @property
    def notices(self):
        """Plain-language notes about the filters that were ignored, in the fields' order."""
        self.is_valid()
        notes = []
        for name, field in self.fields.items():
            if unknown := self.unknown.get(name):
                notes += self.unknown_notices(field.error_messages["ignored"], unknown)
            elif name in self.errors:
                notes.append(self.invalid_notice(name))
        return notes

    @staticmethod
    def unknown_notices(message, unknown):
        if "{value}" in message:
            return [message.format(value=echo(value)) for value in unknown]
        return [message.format(names=echo_list(unknown))]

    def invalid_notice(self, name):
        return self.fields[name].error_messages["ignored"].format(value=echo(self.data.get(name, "")))

    @property
    def is_filtered(self):
        """Some filter narrows the list (a field with an initial value, such as the sort, only orders it)."""
        self.is_valid()
        narrowing = [name for name, field in self.fields.items() if field.initial is None]
        return any(self.cleaned_data.get(name) not in (None, "", []) for name in narrowing)

    @property
    def controls(self):
        """Each field as a Control, for templates/includes/filter_form.html to write."""
        return [self.control(bound) for bound in self]

    def control(self, bound):
        """`bound` as a Control: checkboxes or radio buttons ticked with the value in use (a radio group's
        default when none is), a <select> with the value in use selected (else the field's initial: a
        list's default sort), or for a model choice what Django's own widget marks (the value asked for,
        aria-invalid while it still shows a dropped one); a text or number box as its widget writes it."""
        field, widget = bound.field, bound.field.widget
        chosen = self.value(bound.name)
        if isinstance(field, forms.MultipleChoiceField) or isinstance(widget, forms.RadioSelect):
            ticked = chosen or [] if isinstance(field, forms.MultipleChoiceField) else [chosen or field.initial]
            ticked = {str(value) for value in ticked}
            options = [
                (str(value), label, f"{bound.auto_id}_{index}", str(value) in ticked)
                for index, (value, label) in enumerate(field.choices)
            ]
            return Control("choices", bound, type=widget.input_type, options=options)
        if isinstance(field, forms.ModelChoiceField):
            selected = "" if bound.value() is None else str(bound.value())
            options = [(str(value), label, "", str(value) == selected) for value, label in field.choices]
            return Control("select", bound, attrs=widget_attrs(bound).items(), options=options)
        if isinstance(field, forms.ChoiceField):
            selected = str(chosen or field.initial or "")
            options = [(str(value), label, "", str(value) == selected) for value, label in field.choices]
            return Control("select", bound, attrs=[("id", bound.auto_id)], options=options)
        if isinstance(widget, forms.widgets.Input):
            context = widget.get_context(bound.html_name, bound.value(), widget_attrs(bound))["widget"]
            value, hint = context["value"], bound.help_text
            return Control(
                "input", bound, type=context["type"], value=value, attrs=context["attrs"].items(), hint=hint
            )
        return Control("field", bound)


class Control(dict):
    """One control of a filter form, worked out once in Python for includes/filter_form.html: a template
    looking each option's name, id and state up through the bound field cost the foods page about 1 ms
    (make pagetime). A dict, the first thing a template variable lookup tries. `kind` names the partial
    that writes it: choices, select, input, or field (Django's own rendering, for a widget none of them
    knows); `field` the bound field, `label`, `id`, `name`; `options` (value, label, id, chosen) each;
    `attrs` the control's attributes after its name, as Django's attrs.html writes them (True: the bare
    name); an input's `type`, `value` and `hint` (its help text)."""

    def __init__(self, kind, field, **values):
        super().__init__(kind=kind, field=field, label=field.label, id=field.auto_id, name=field.html_name, **values)


class SortChoiceMixin:
    """A filter form with a `sort` field and a DEFAULT_SORT: the order the list is in, which
    is also the option the template marks selected (no sort given, or one we do not know, is
    the default; a <select> without a selected option gives assistive technology no value)."""

    DEFAULT_SORT = None

    @property
    def chosen_sort(self):
        return self.value("sort", self.DEFAULT_SORT)


class NumberInput(forms.NumberInput):
    """<input type="number"> that writes back a submitted value only if HTML accepts it as a
    number: value="abc" is invalid HTML (the Nu HTML Checker says so), and browsers show such a
    value as an empty box anyway. The field's own message says what was wrong."""

    VALID_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")

    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or self.VALID_NUMBER.fullmatch(value) else None


def widget_attrs(bound):
    """The attributes Django's widget template writes for `bound` after its name (the widget's own,
    the field's such as maxlength, aria-invalid and aria-describedby, the id), in the same order."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return widget.build_attrs(widget.attrs, attrs)
