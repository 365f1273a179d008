"""The API's refusals: a 400 whose body gives the French reasons one by one."""

from rest_framework.exceptions import APIException


class RequestRefused(APIException):
    """A request the API cannot answer as asked (malformed filter, ambiguous territory,
    unknown parameter, bad page number): 400 with `detail` and the list `erreurs`."""

    status_code = 400
    default_code = "requete_refusee"

    def __init__(self, reasons: list[str]):
        super().__init__()
        self.detail = {"detail": " ".join(reasons), "erreurs": list(reasons)}
