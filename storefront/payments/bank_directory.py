"""Banks in the NAPAS 247 network by BIN, for display: short name and full name.

From NAPAS's list of VietQR members as VietQR.io publishes it; a BIN not listed is shown as is.
Brought up to date in December 2026 (issue 21) against that list as copied in public code (70 BINs,
including 970406 "Ngân hàng TNHH MTV Số Vikki", 668888 KBank, 971133 PVcomBank Pay) and MoMo's
bank list (963369 "Liobank by OCB"); the State Bank's own list was not at hand. 970454 keeps its
legal name, Ngân hàng TMCP Bản Việt, under its current brand BVBank.
"""
from typing import NamedTuple


class Bank(NamedTuple):
    bin: str
    short_name: str
    name: str


BANKS: dict[str, Bank] = {bank.bin: bank for bank in (
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại Thương Việt Nam"),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    Bank("970422", "MB Bank", "Ngân hàng TMCP Quân đội"),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    Bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970454", "BVBank", "Ngân hàng TMCP Bản Việt"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970452", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
    Bank("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970414", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại (trước đây Oceanbank)"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970433", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970439", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    Bank("970442", "Hong Leong Bank", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
    Bank("970444", "CBBank", "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam"),
    Bank("970446", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
    Bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
    Bank("970458", "UOB", "Ngân hàng United Overseas Việt Nam"),
    Bank("970410", "Standard Chartered", "Ngân hàng TNHH MTV Standard Chartered Việt Nam"),
    Bank("970434", "Indovina Bank", "Ngân hàng TNHH Indovina"),
    Bank("970421", "VRB", "Ngân hàng Liên doanh Việt – Nga"),
    Bank("970408", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu"),
    Bank("970406", "Vikki Bank", "Ngân hàng TNHH MTV Số Vikki (trước đây DongA Bank)"),
    Bank("970455", "IBK Hà Nội", "Ngân hàng Công nghiệp Hàn Quốc – Chi nhánh Hà Nội"),
    Bank("970456", "IBK HCM", "Ngân hàng Công nghiệp Hàn Quốc – Chi nhánh TP. Hồ Chí Minh"),
    Bank("970462", "Kookmin Hà Nội", "Ngân hàng Kookmin – Chi nhánh Hà Nội"),
    Bank("970463", "Kookmin HCM", "Ngân hàng Kookmin – Chi nhánh TP. Hồ Chí Minh"),
    Bank("422589", "CIMB", "Ngân hàng TNHH MTV CIMB Việt Nam"),
    Bank("458761", "HSBC", "Ngân hàng TNHH MTV HSBC (Việt Nam)"),
    Bank("796500", "DBS", "DBS Bank Ltd – Chi nhánh TP. Hồ Chí Minh"),
    Bank("801011", "Nonghyup", "Ngân hàng Nonghyup – Chi nhánh Hà Nội"),
    Bank("963388", "Timo", "Ngân hàng số Timo (Ngân hàng TMCP Bản Việt)"),
    Bank("546034", "CAKE", "Ngân hàng số CAKE by VPBank"),
    Bank("546035", "Ubank", "Ngân hàng số Ubank by VPBank"),
    Bank("668888", "KBank", "Ngân hàng Đại chúng TNHH Kasikornbank"),
    Bank("963369", "Liobank", "Ngân hàng số Liobank by OCB"),
    Bank("971133", "PVcomBank Pay", "Ngân hàng TMCP Đại Chúng Việt Nam – Ngân hàng số"),
    Bank("970467", "KEB Hana Hà Nội", "Ngân hàng KEB Hana – Chi nhánh Hà Nội"),
    Bank("970466", "KEB Hana HCM", "Ngân hàng KEB Hana – Chi nhánh TP. Hồ Chí Minh"),
    Bank("533948", "Citibank", "Ngân hàng Citibank, N.A. – Chi nhánh Hà Nội"),
    Bank("999888", "VBSP", "Ngân hàng Chính sách Xã hội"),
)}


def bank_for(bin_: str) -> Bank:
    """Return the bank with this BIN, or one named by the BIN itself when unknown."""
    return BANKS.get(bin_) or Bank(bin_, bin_, bin_)
