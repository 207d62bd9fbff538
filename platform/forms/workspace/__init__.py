"""The forms in the clerk workspace (/backoffice/forms/): the list of the tenant's forms, a new
form from scratch or from the library, a form's settings and versions, the preview at desktop
and phone width, test mode, the differences shown before publishing, import and export.
Editing a draft's content is the form builder's (`form-builder:edit`)."""
