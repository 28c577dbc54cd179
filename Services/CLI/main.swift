print("utilis")
