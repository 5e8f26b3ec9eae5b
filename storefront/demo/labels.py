"""Demo label facts and producers' legal identities: plausible, and clearly marked as demo data.

The tax codes pass python-stdnum's ``vn.mst`` check but start with 99, a range no tax office has
issued to a business in Hanoi; registrations say "(dữ liệu demo)".
"""
from stdnum.vn import mst

# (ingredients, shelf life, storage and use, warnings) of each food, drink and herbal product.
FOOD = {
    "Chè lam Đường Lâm": ("Bột gạo nếp, mật mía, gừng, lạc rang, vừng", "60 ngày kể từ ngày sản xuất",
                          "Nơi khô ráo, thoáng mát; đậy kín sau khi mở", None),
    "Kẹo lạc Đường Lâm": ("Lạc rang, mật mía, gừng", "90 ngày kể từ ngày sản xuất",
                          "Nơi khô ráo, tránh ánh nắng", "Có lạc: không dùng cho người dị ứng lạc"),
    "Tương nếp Đường Lâm": ("Đậu tương, gạo nếp, muối, nước", "12 tháng kể từ ngày sản xuất",
                            "Nơi thoáng mát; sau khi mở giữ lạnh 2–8 °C", "Có đậu nành"),
    "Mật mía Đường Lâm": ("100% nước mía cô đặc", "12 tháng kể từ ngày sản xuất",
                          "Nơi khô ráo, đậy kín", None),
    "Sữa tươi thanh trùng Ba Vì": ("100% sữa bò tươi", "7 ngày kể từ ngày sản xuất",
                                   "Giữ lạnh 2–6 °C; dùng hết trong 24 giờ sau khi mở", None),
    "Sữa chua Ba Vì": ("Sữa bò tươi, đường, men Lactobacillus", "20 ngày kể từ ngày sản xuất",
                       "Giữ lạnh 2–6 °C", None),
    "Bánh sữa Ba Vì": ("Sữa bò tươi, đường", "30 ngày kể từ ngày sản xuất",
                       "Nơi khô ráo, thoáng mát", None),
    "Sữa chua uống men sống": ("Sữa bò tươi, đường, men sống Lactobacillus", "15 ngày kể từ ngày sản xuất",
                               "Giữ lạnh 2–6 °C; lắc đều trước khi uống", None),
    "Phô mai tươi Ba Vì": ("Sữa bò tươi, men đông tụ, muối", "21 ngày kể từ ngày sản xuất",
                           "Giữ lạnh 2–6 °C", None),
    "Sữa hạt sen Ba Vì": ("Hạt sen, sữa bò tươi, đường", "10 ngày kể từ ngày sản xuất",
                          "Giữ lạnh 2–6 °C; lắc đều trước khi uống", None),
    "Thuốc tắm người Dao Ba Vì": ("Lá thuốc người Dao (ngũ gia bì, lá lốt, cây đại bi, và các vị khác) sấy khô",
                                  "24 tháng kể từ ngày sản xuất",
                                  "Đun sôi một gói với 10 lít nước, pha thêm nước ấm để ngâm tắm; nơi khô ráo",
                                  "Chỉ dùng ngoài da. Không dùng cho phụ nữ có thai, người huyết áp thấp"),
    "Cao xương khớp người Dao": ("Cao đặc lá thuốc người Dao (thiên niên kiện, cốt toái bổ, đỗ trọng)",
                                 "24 tháng kể từ ngày sản xuất", "Nơi khô ráo; xoa bóp ngày 2 lần",
                                 "Không phải là thuốc, không thay thế thuốc chữa bệnh. Chỉ dùng ngoài da"),
    "Trà hoa vàng Ba Vì": ("100% hoa trà hoa vàng sấy khô", "18 tháng kể từ ngày sản xuất",
                           "Hãm 3–5 bông với nước 90 °C; nơi khô ráo, đậy kín",
                           "Không phải là thuốc, không thay thế thuốc chữa bệnh"),
    "Tinh dầu sả chanh": ("100% tinh dầu sả chanh chưng cất", "36 tháng kể từ ngày sản xuất",
                          "Nhỏ vài giọt vào máy khuếch tán; tránh ánh nắng",
                          "Không uống. Tránh tiếp xúc mắt; để xa tầm tay trẻ em"),
    "Trà túi lọc dược liệu an thần": ("Lá vông, tâm sen, lạc tiên, hoa nhài", "18 tháng kể từ ngày sản xuất",
                                      "Hãm 1 túi với 150 ml nước sôi trong 5 phút; nơi khô ráo",
                                      "Không phải là thuốc. Không dùng khi lái xe, phụ nữ có thai"),
    "Miến dong Di Trạch": ("100% tinh bột dong riềng", "12 tháng kể từ ngày sản xuất",
                           "Nơi khô ráo; ngâm nước ấm 5 phút trước khi nấu", None),
    "Rượu nếp cái hoa vàng": ("Gạo nếp cái hoa vàng, men lá, nước", "24 tháng kể từ ngày sản xuất",
                              "Nơi thoáng mát, tránh ánh nắng",
                              "Độ cồn 29%. Không dùng cho người dưới 18 tuổi, phụ nữ có thai; đã uống rượu bia thì không lái xe"),
    "Kẹo dồi vừng": ("Vừng, mạch nha, đường, lạc", "90 ngày kể từ ngày sản xuất",
                     "Nơi khô ráo, đậy kín", "Có vừng và lạc"),
    "Nước cốt gừng mật ong": ("Gừng tươi, mật ong", "12 tháng kể từ ngày sản xuất",
                              "Pha 1 thìa với 200 ml nước ấm; sau khi mở giữ lạnh", "Không dùng cho trẻ dưới 1 tuổi"),
    "Giấm gạo lên men": ("Gạo tẻ, men giấm, nước", "24 tháng kể từ ngày sản xuất",
                         "Nơi thoáng mát, đậy kín", None),
    "Mật ong hoa nhãn Hòa Lâm": ("100% mật ong hoa nhãn", "24 tháng kể từ ngày sản xuất",
                                 "Nơi khô ráo, tránh ánh nắng; không để tủ lạnh", "Không dùng cho trẻ dưới 1 tuổi"),
}


def tax_code(number: int) -> str:
    """Return a demo mã số thuế that passes the check digit (99…, never issued in Hanoi)."""
    while True:  # a base whose check digit would be 10 has no valid code: take the next
        base = f"99{number:07d}"
        code = base + mst.calc_check_digit(base)
        if mst.is_valid(code):
            return code
        number += 100


def identity(number: int, producer) -> dict:
    village = producer.village
    code = tax_code(number)
    return {"tax_code": code,
            "business_registration": f"{code} — Sở Tài chính Hà Nội cấp (dữ liệu demo)",
            "legal_address": f"{village.commune or village.name}, {village.district}, Hà Nội (địa chỉ demo)"}


def label(fact, producer, today) -> dict:
    """Return the label columns of a demo product (``catalog/labels.COLUMNS``)."""
    village = producer.village
    place = ", ".join(p for p in (village.commune or village.name, village.district, "Hà Nội", "Việt Nam") if p)
    facts = {"label_origin": place, "label_maker_name": producer.name,
             "label_maker_address": f"{village.commune or village.name}, {village.district}, Hà Nội"}
    if fact.group == "tourism":
        return facts
    unit = fact.unit[0]
    amount = unit.split(" ", 1)[1] if " " in unit and any(c.isdigit() for c in unit) else f"1 {unit}"
    facts["label_net_quantity"] = amount
    if fact.name_vi in FOOD:
        ingredients, shelf_life, storage, warnings = FOOD[fact.name_vi]
        facts.update(label_ingredients=ingredients, label_shelf_life=shelf_life, label_storage=storage,
                     label_warnings=warnings,
                     food_safety_number=f"{100 + len(fact.name_vi)}/{today.year - 1}/ATTP-CNĐK (demo)",
                     food_safety_date=today.replace(year=today.year - 1, day=1),
                     food_safety_issuer="Chi cục An toàn vệ sinh thực phẩm Hà Nội")
    elif fact.group == "ornamental":
        facts["label_storage"] = "Đặt nơi có ánh sáng tán xạ, tưới nước 2–3 lần mỗi tuần"
    else:
        facts["label_storage"] = "Tránh ẩm và va đập; lau bằng khăn mềm, khô"
    return facts
