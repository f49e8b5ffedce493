"""Purchase contract (购苗合同): amounts in capitals, the printed data and the PDF renderer."""
