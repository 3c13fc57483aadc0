alert(document.domain)
